// The libgit2 functions Zero calls, reached through a table filled by dlopen.
//
// Linking libgit2 directly maps it and the 15 libraries it needs that zero
// does not (krb5, libcrypto, mbedtls, ssh2, ...) at every start of `zero`,
// including `zero --version` and the hooks: 2.3 ms and 7.9 million
// instructions, against 1.7 ms and 2.5 million for the whole of `zero
// --version` (BENCHMARKS.md, "libgit2: dlopen against linking"). Loading it
// on first use keeps those commands fast; only commands that touch git pay.
#ifndef ZERO_GIT2_H
#define ZERO_GIT2_H

#include <git2.h>
#include <git2/sys/repository.h>
#include <git2/sys/mempack.h>
#include <spawn.h>
#include <stddef.h>

#define ZG_FUNCTIONS(X) \
  X(git_libgit2_init) \
  X(git_libgit2_version) \
  X(git_error_last) \
  X(git_buf_dispose) \
  X(git_repository_open_ext) \
  X(git_repository_free) \
  X(git_repository_workdir) \
  X(git_repository_path) \
  X(git_repository_commondir) \
  X(git_repository_head_unborn) \
  X(git_repository_config_snapshot) \
  X(git_repository_set_index) \
  X(git_index_new) \
  X(git_index_free) \
  X(git_config_get_string) \
  X(git_config_free) \
  X(git_reference_name_to_id) \
  X(git_oid_tostr_s) \
  X(git_oid_fromstr) \
  X(git_oid_equal) \
  X(git_status_options_init) \
  X(git_status_list_new) \
  X(git_status_list_entrycount) \
  X(git_status_byindex) \
  X(git_status_list_free) \
  X(git_commit_lookup) \
  X(git_commit_free) \
  X(git_commit_message) \
  X(git_commit_summary) \
  X(git_commit_time) \
  X(git_commit_author) \
  X(git_commit_parentcount) \
  X(git_commit_parent_id) \
  X(git_commit_tree_id) \
  X(git_commit_extract_signature) \
  X(git_tree_free) \
  X(git_tree_lookup) \
  X(git_tree_entry_bypath) \
  X(git_tree_entry_free) \
  X(git_tree_entry_id) \
  X(git_tree_entry_type) \
  X(git_tree_entrycount) \
  X(git_tree_entry_byindex) \
  X(git_tree_entry_name) \
  X(git_tree_entry_byname) \
  X(git_tree_entry_filemode) \
  X(git_blob_lookup) \
  X(git_blob_free) \
  X(git_blob_rawcontent) \
  X(git_blob_rawsize) \
  X(git_revwalk_new) \
  X(git_revwalk_free) \
  X(git_revwalk_push) \
  X(git_revwalk_hide) \
  X(git_revwalk_sorting) \
  X(git_revwalk_next) \
  X(git_revparse_single) \
  X(git_object_free) \
  X(git_object_id) \
  X(git_message_trailers) \
  X(git_message_trailer_array_free) \
  X(git_patch_from_blobs) \
  X(git_patch_line_stats) \
  X(git_patch_free) \
  X(git_merge_bases) \
  X(git_merge_base_many) \
  X(git_oidarray_dispose) \
  X(git_merge_options_init) \
  X(git_merge_trees) \
  X(git_index_write_tree_to) \
  X(git_index_conflict_iterator_new) \
  X(git_index_conflict_next) \
  X(git_index_conflict_iterator_free) \
  X(git_index_conflict_remove) \
  X(git_index_add) \
  X(git_mempack_new) \
  X(git_repository_odb) \
  X(git_odb_add_backend) \
  X(git_odb_free) \
  X(git_graph_descendant_of) \
  X(git_repository_init) \
  X(git_odb_exists) \
  X(git_reference_lookup) \
  X(git_reference_target) \
  X(git_reference_free) \
  X(git_reference_create) \
  X(git_reference_create_matching) \
  X(git_reference_delete) \
  X(git_reference_iterator_glob_new) \
  X(git_reference_next) \
  X(git_reference_name) \
  X(git_reference_iterator_free) \
  X(git_treebuilder_new) \
  X(git_treebuilder_write) \
  X(git_treebuilder_free) \
  X(git_signature_new) \
  X(git_signature_free) \
  X(git_commit_create) \
  X(git_remote_lookup) \
  X(git_remote_url) \
  X(git_remote_pushurl) \
  X(git_remote_create_anonymous) \
  X(git_remote_free) \
  X(git_remote_init_callbacks) \
  X(git_remote_connect) \
  X(git_remote_ls) \
  X(git_remote_disconnect) \
  X(git_remote_download) \
  X(git_remote_upload) \
  X(git_fetch_options_init) \
  X(git_push_options_init) \
  X(git_proxy_options_init) \
  X(git_credential_ssh_key_from_agent) \
  X(git_credential_default_new)

/// One typed function pointer per libgit2 function Zero uses.
struct zg_api {
#define ZG_FIELD(name) __typeof__(&name) name;
  ZG_FUNCTIONS(ZG_FIELD)
#undef ZG_FIELD
};

/// Loads libgit2 once (thread-safe) and returns the table, or NULL with a
/// reason in `zg_load_error()`. It opens the SONAME of the headers this was
/// built with (`libgit2.so.` LIBGIT2_SOVERSION), or the file `ZERO_LIBGIT2`
/// names, and refuses a library whose major.minor differs from the headers'.
const struct zg_api *zg_load(void);

/// Why the last `zg_load` failed, or an empty string.
const char *zg_load_error(void);

/// What to do about the failure `zg_load_error()` describes, or an empty string.
const char *zg_load_hint(void);

/// The major.minor of the libgit2 headers zero was built against, as "1.5".
const char *zg_built_version(void);

/// The file name `zg_load` opens unless `ZERO_LIBGIT2` names another: "libgit2.so.1.5".
const char *zg_library_name(void);

/// posix_spawn_file_actions_addchdir_np, which glibc declares only under _GNU_SOURCE.
int zg_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
