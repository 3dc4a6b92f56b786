import ZeroCLI

ZeroMain.run()
