#define _GNU_SOURCE
#include "zero_git2.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct zg_api api;
static const struct zg_api *loaded;
static char load_error[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;
/* git_libgit2_opts is variadic, so it is called here in C, never from Swift. */
static __typeof__(&git_libgit2_opts) opts_fn;

static void load(void) {
  const char *candidates[] = {
    getenv("ZERO_LIBGIT2"),
#if defined(__APPLE__)
    "libgit2.1.5.dylib", "libgit2.dylib",
#else
    "libgit2.so.1.5", "libgit2.so",
#endif
  };
  void *handle = NULL;
  for (size_t i = 0; i < sizeof candidates / sizeof *candidates && !handle; i++) {
    if (candidates[i] && *candidates[i]) handle = dlopen(candidates[i], RTLD_NOW | RTLD_LOCAL);
  }
  if (!handle) {
    const char *why = dlerror();
    snprintf(load_error, sizeof load_error, "cannot load libgit2 1.5 (%s)", why ? why : "not found");
    return;
  }
#define ZG_RESOLVE(name)                                                          \
  api.name = (__typeof__(&name))dlsym(handle, #name);                             \
  if (!api.name) {                                                                \
    snprintf(load_error, sizeof load_error, "libgit2 lacks %s; version 1.5 is needed", #name); \
    return;                                                                       \
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

int zg_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
  return posix_spawn_file_actions_addchdir_np(actions, path);
}
