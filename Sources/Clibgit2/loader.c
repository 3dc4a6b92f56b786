#define _GNU_SOURCE
#include "zero_git2.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZG_TEXT(x) #x
#define ZG_EXPANDED_TEXT(x) ZG_TEXT(x)
/* The major.minor of the headers this file is compiled against: "1.5". */
#define ZG_BUILT_VERSION ZG_EXPANDED_TEXT(LIBGIT2_VER_MAJOR) "." ZG_EXPANDED_TEXT(LIBGIT2_VER_MINOR)
/* The exact SONAME the build saw; never the unversioned name, which may be any libgit2. */
#if defined(__APPLE__)
#define ZG_LIBRARY "libgit2." LIBGIT2_SOVERSION ".dylib"
#define ZG_INSTALL "install libgit2 " ZG_BUILT_VERSION
#else
#define ZG_LIBRARY "libgit2.so." LIBGIT2_SOVERSION
#define ZG_INSTALL "install libgit2 " ZG_BUILT_VERSION " (Debian: apt-get install libgit2-" LIBGIT2_SOVERSION ")"
#endif
#define ZG_OVERRIDE_HINT "point ZERO_LIBGIT2 at libgit2 " ZG_BUILT_VERSION ", or unset it to load " ZG_LIBRARY

static struct zg_api api;
static const struct zg_api *loaded;
static char load_error[512];
static char load_hint[512];
/* How messages name the library: as the user set it, or by its SONAME and file. */
static char named[512];
static int overridden;
static pthread_once_t once = PTHREAD_ONCE_INIT;
/* git_libgit2_opts is variadic, so it is called here in C, never from Swift. */
static __typeof__(&git_libgit2_opts) opts_fn;

/* Opens the library and checks it is libgit2 of the built major.minor; NULL
   with load_error and load_hint set otherwise. */
static void *open_library(void) {
  const char *override = getenv("ZERO_LIBGIT2");
  overridden = override && *override;
  const char *path = overridden ? override : ZG_LIBRARY;
  snprintf(named, sizeof named, overridden ? "ZERO_LIBGIT2=%s" : "%s", path);
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    snprintf(load_error, sizeof load_error, "cannot load libgit2 %s: %s", ZG_BUILT_VERSION, why ? why : named);
    snprintf(load_hint, sizeof load_hint,
             overridden ? ZG_OVERRIDE_HINT : ZG_INSTALL ", or set ZERO_LIBGIT2 to the path of " ZG_LIBRARY);
    return NULL;
  }
  /* Checked before any other symbol is looked up: a library of another
     major.minor may have every name zero calls with other structures behind them. */
  __typeof__(&git_libgit2_version) version = (__typeof__(&git_libgit2_version))dlsym(handle, "git_libgit2_version");
  if (!version) {
    snprintf(load_error, sizeof load_error, "%s is not libgit2: it has no git_libgit2_version", named);
    snprintf(load_hint, sizeof load_hint, overridden ? ZG_OVERRIDE_HINT : ZG_INSTALL);
    dlclose(handle);
    return NULL;
  }
  /* Which file the search found, so a stray copy on the library path shows. */
  Dl_info found;
  if (!overridden && dladdr((void *)version, &found) && found.dli_fname) {
    snprintf(named, sizeof named, "%s (%s)", ZG_LIBRARY, found.dli_fname);
  }
  int major = -1, minor = -1, revision = -1;
  version(&major, &minor, &revision);
  if (major != LIBGIT2_VER_MAJOR || minor != LIBGIT2_VER_MINOR) {
    snprintf(load_error, sizeof load_error,
             "libgit2 version mismatch: %s is libgit2 %d.%d.%d, but zero was built against libgit2 " LIBGIT2_VERSION,
             named, major, minor, revision);
    snprintf(load_hint, sizeof load_hint,
             overridden ? ZG_OVERRIDE_HINT : "rebuild zero against the installed libgit2 (make release), or " ZG_INSTALL);
    dlclose(handle);
    return NULL;
  }
  return handle;
}

static void load(void) {
  void *handle = open_library();
  if (!handle) return;
#define ZG_RESOLVE(name)                                                                        \
  api.name = (__typeof__(&name))dlsym(handle, #name);                                           \
  if (!api.name) {                                                                              \
    snprintf(load_error, sizeof load_error, "%s is libgit2 " ZG_BUILT_VERSION " but lacks %s", named, #name); \
    snprintf(load_hint, sizeof load_hint, overridden ? ZG_OVERRIDE_HINT : ZG_INSTALL);           \
    dlclose(handle);                                                                            \
    return;                                                                                     \
  }
  ZG_FUNCTIONS(ZG_RESOLVE)
#undef ZG_RESOLVE
  opts_fn = (__typeof__(&git_libgit2_opts))dlsym(handle, "git_libgit2_opts");
  if (api.git_libgit2_init() < 0) {
    snprintf(load_error, sizeof load_error, "git_libgit2_init failed");
    return;
  }
  /* Reading history must not re-hash every object it inflates: git itself
     checks hashes in fsck, not on each read, and it costs a fifth of a walk. */
  if (opts_fn) opts_fn(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  /* libgit2 caches only trees under 4 KiB, but zero-memory/cases holds one
     entry per case (500 KiB at 10 000 cases) and the replay reads paths below
     it in every commit: without this, each read inflates it again. */
  if (opts_fn) opts_fn(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)16 << 20);
  loaded = &api;
}

const struct zg_api *zg_load(void) {
  pthread_once(&once, load);
  return loaded;
}

const char *zg_load_error(void) { return load_error; }

const char *zg_load_hint(void) { return load_hint; }

const char *zg_built_version(void) { return ZG_BUILT_VERSION; }

const char *zg_library_name(void) { return ZG_LIBRARY; }

int zg_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
  return posix_spawn_file_actions_addchdir_np(actions, path);
}
