import ZeroMCP

// `zero mcp` execs this binary (kept apart so the MCP SDK never loads in the hooks).
await ZeroMCPMain.run()
