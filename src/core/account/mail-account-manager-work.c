/* mail-account-manager-work.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the account manager does to disk and keyring, blocking, on whichever thread runs
 * it (the manager's queue, or the caller of a _sync function, one at a time).
 *
 * The rules: a new account's passwords are stored first and its settings file written
 * last, so that an account that exists on disk always has its password; when anything
 * fails, what was done before is undone (the passwords cleared, the copied files and a data
 * directory made for it deleted). Settings files are written atomically (a temporary file,
 * fsynced, renamed) with mode 0600. A removal clears the passwords first, then deletes the
 * settings file, then the data directory.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mail-account-manager-private.h"

#define SETTINGS_SUFFIX ".ini"

/* Reading ---------------------------------------------------------------------------- */

static MailAccount *
load_file (const char  *path,
           const char  *name,
           GError     **error)
{
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (MailAccount) account = NULL;
  g_autofree char *expected = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, error))
    return NULL;
  if ((account = mail_account_new_from_key_file (key_file, error)) == NULL)
    return NULL;

  /* The file is named after the account: another name is a copy or a mistake. */
  expected = g_strconcat (mail_account_get_id (account), SETTINGS_SUFFIX, NULL);
  if (!g_str_equal (name, expected))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The file name does not match the account identifier %s"),
                   mail_account_get_id (account));
      return NULL;
    }

  return g_steal_pointer (&account);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every account in the settings directory, sorted by file name; a broken file is skipped
 * (with a warning naming it when @warn), and so is a second file for the same address. */
static GPtrArray *
load_settings_dir (gboolean       warn,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *dir_path = mail_account_dup_settings_dir ();
  g_autoptr (GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (dir_path, 0, &local_error);
  if (dir == NULL)
    {
      /* No accounts yet. */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&accounts);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the account settings: "));
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, SETTINGS_SUFFIX) && name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autoptr (MailAccount) account = NULL;
      gboolean duplicate = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      account = load_file (path, file, &local_error);
      if (account == NULL)
        {
          if (warn)
            g_warning ("Skipping the broken account settings file %s: %s", path,
                       local_error->message);
          g_clear_error (&local_error);
          continue;
        }

      for (guint j = 0; j < accounts->len && !duplicate; j++)
        duplicate = mail_account_address_equal (
          mail_account_get_address (g_ptr_array_index (accounts, j)),
          mail_account_get_address (account));
      if (duplicate)
        {
          if (warn)
            g_warning ("Skipping the account settings file %s: another file already holds an "
                       "account for %s", path, mail_account_get_address (account));
          continue;
        }

      g_ptr_array_add (accounts, g_steal_pointer (&account));
    }

  return g_steal_pointer (&accounts);
}

GPtrArray *
_mail_account_work_load (GCancellable  *cancellable,
                         GError       **error)
{
  return load_settings_dir (TRUE, cancellable, error);
}

/* Whether a settings file other than @except_id's holds an account for @address: the
 * check that holds across processes (the app and mail-tool), as it reads the disk. */
static gboolean
address_taken (const char   *address,
               const char   *except_id,
               GError      **error)
{
  g_autoptr (GPtrArray) existing = NULL;
  g_autoptr (GError) local_error = NULL;

  /* The warnings about broken files were given when they were loaded. */
  existing = load_settings_dir (FALSE, NULL, &local_error);
  if (existing == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return TRUE;
    }

  for (guint i = 0; i < existing->len; i++)
    {
      MailAccount *other = g_ptr_array_index (existing, i);

      if (g_strcmp0 (mail_account_get_id (other), except_id) != 0 &&
          mail_account_address_equal (mail_account_get_address (other), address))
        {
          g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_EXISTS,
                       _("An account for %s already exists."), address);
          return TRUE;
        }
    }

  return FALSE;
}

/* Writing ---------------------------------------------------------------------------- */

static gboolean
write_settings (MailAccount  *account,
                GError      **error)
{
  g_autofree char *dir = mail_account_dup_settings_dir ();
  g_autofree char *path = mail_account_dup_settings_path (account);
  g_autoptr (GKeyFile) key_file = mail_account_to_key_file (account);
  g_autofree char *data = NULL;
  gsize length;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (key_file, &length, NULL);
  if (!g_file_set_contents_full (path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    {
      g_prefix_error (error, _("Could not save the account settings: "));
      return FALSE;
    }

  return TRUE;
}

/* Deletes @path and, for a directory, everything in it; symbolic links are removed, never
 * followed. A missing @path is not an error. */
static gboolean
delete_recursively (const char  *path,
                    GError     **error)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not delete %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, error);
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!delete_recursively (child, error))
            return FALSE;
        }
      if (g_rmdir (path) == 0)
        return TRUE;
    }
  else if (g_unlink (path) == 0)
    return TRUE;

  {
    int saved_errno = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                 _("Could not delete %s: %s"), path, g_strerror (saved_errno));
  }

  return FALSE;
}

/* The certificate authority files ---------------------------------------------------- */

/* A file written into an existing data directory, and what it held before (%NULL when
 * it is new). */
typedef struct
{
  char   *path;
  GBytes *previous;
} Copied;

static void
copied_free (Copied *copied)
{
  g_free (copied->path);
  g_clear_pointer (&copied->previous, g_bytes_unref);
  g_free (copied);
}

typedef struct
{
  gboolean   made_data_dir;
  GPtrArray *copied;          /* Copied, to put back on failure */
  GPtrArray *stored;          /* MailAccountSecretKey, to clear on failure */
} Undo;

static void
undo_init (Undo *undo)
{
  undo->made_data_dir = FALSE;
  undo->copied = g_ptr_array_new_with_free_func ((GDestroyNotify) copied_free);
  undo->stored = g_ptr_array_new_with_free_func ((GDestroyNotify) _mail_account_secret_key_free);
}

static void
undo_copied (Copied *copied)
{
  g_autoptr (GError) error = NULL;

  if (copied->previous == NULL)
    {
      if (g_unlink (copied->path) != 0)
        g_warning ("Could not delete %s: %s", copied->path, g_strerror (errno));
      return;
    }

  if (!g_file_set_contents_full (copied->path, g_bytes_get_data (copied->previous, NULL),
                                 (gssize) g_bytes_get_size (copied->previous),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    g_warning ("Could not put back %s: %s", copied->path, error->message);
}

/* Puts back what was done, as far as it can; what it cannot undo is logged. */
static void
undo_run (Undo        *undo,
          MailAccount *account)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < undo->stored->len; i++)
    if (!_mail_account_secret_clear (mail_account_get_id (account),
                                     g_ptr_array_index (undo->stored, i), NULL, &error))
      {
        g_warning ("Could not take back a password just stored for %s: %s",
                   mail_account_get_address (account), error->message);
        g_clear_error (&error);
      }

  if (undo->made_data_dir)
    {
      g_autofree char *data_dir = mail_account_dup_data_dir (account);

      if (!delete_recursively (data_dir, &error))
        g_warning ("%s", error->message);
    }
  else
    for (guint i = undo->copied->len; i > 0; i--)
      undo_copied (g_ptr_array_index (undo->copied, i - 1));
}

static void
undo_clear (Undo *undo)
{
  g_clear_pointer (&undo->copied, g_ptr_array_unref);
  g_clear_pointer (&undo->stored, g_ptr_array_unref);
}

static gboolean
ensure_data_dir (MailAccount  *account,
                 Undo         *undo,
                 GError      **error)
{
  g_autofree char *data_dir = mail_account_dup_data_dir (account);

  if (g_file_test (data_dir, G_FILE_TEST_IS_DIR))
    return TRUE;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), data_dir, g_strerror (saved_errno));
      return FALSE;
    }
  undo->made_data_dir = TRUE;

  return TRUE;
}

/* Copies @source (a PEM file of certificate authorities the user gave) to @target in the
 * account's data directory, after checking that it holds at least one certificate. */
static gboolean
copy_ca_file (const char  *source,
              const char  *target,
              Undo        *undo,
              GError     **error)
{
  g_autolist (GTlsCertificate) certificates = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *previous = NULL;
  gsize previous_length = 0;
  gsize length;
  Copied *copied;

  certificates = g_tls_certificate_list_new_from_file (source, &local_error);
  if (certificates == NULL)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The certificate authority file %s holds no usable certificate%s%s"),
                   source, local_error != NULL ? ": " : "",
                   local_error != NULL ? local_error->message : "");
      return FALSE;
    }

  if (!g_file_get_contents (source, &data, &length, error))
    {
      g_prefix_error (error, _("Could not copy the certificate authority file: "));
      return FALSE;
    }

  /* A file being replaced is kept, to be put back if the update fails. */
  if (!undo->made_data_dir)
    {
      copied = g_new0 (Copied, 1);
      copied->path = g_strdup (target);
      if (g_file_get_contents (target, &previous, &previous_length, NULL))
        copied->previous = g_bytes_new_take (g_steal_pointer (&previous), previous_length);
      g_ptr_array_add (undo->copied, copied);
    }

  if (!g_file_set_contents_full (target, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    {
      g_prefix_error (error, _("Could not copy the certificate authority file: "));
      return FALSE;
    }

  return TRUE;
}

/* Makes each server's extra CA file a copy inside the account's data directory (ca.pem,
 * and ca-outgoing.pem when the outgoing server has another one), so that the account
 * keeps trusting it whatever happens to the file the user named. */
static gboolean
import_ca_files (MailAccount  *account,
                 Undo         *undo,
                 GError      **error)
{
  g_autofree char *data_dir = mail_account_dup_data_dir (account);
  g_autofree char *imported_from = NULL;
  g_autofree char *imported_to = NULL;
  static const char * const names[] = { "ca.pem", "ca-outgoing.pem" };

  for (MailAccountDirection d = MAIL_ACCOUNT_INCOMING; d <= MAIL_ACCOUNT_OUTGOING; d++)
    {
      g_autoptr (MailAccountServer) server = NULL;
      g_autofree char *target = NULL;
      g_autofree char *dir_of_file = NULL;

      if (mail_account_get_server (account, d)->ca_file == NULL)
        continue;
      server = mail_account_server_copy (mail_account_get_server (account, d));

      /* Already the account's own copy. */
      dir_of_file = g_path_get_dirname (server->ca_file);
      if (g_str_equal (dir_of_file, data_dir))
        continue;

      if (imported_from != NULL && g_str_equal (imported_from, server->ca_file))
        target = g_strdup (imported_to);
      else
        {
          target = g_build_filename (data_dir, names[d], NULL);
          if (!ensure_data_dir (account, undo, error) ||
              !copy_ca_file (server->ca_file, target, undo, error))
            return FALSE;
          g_free (imported_from);
          imported_from = g_strdup (server->ca_file);
          g_free (imported_to);
          imported_to = g_strdup (target);
        }

      g_free (server->ca_file);
      server->ca_file = g_steal_pointer (&target);
      mail_account_set_server (account, d, server);
    }

  return TRUE;
}

/* Passwords -------------------------------------------------------------------------- */

static gboolean
store_password (MailAccount           *account,
                MailAccountDirection   direction,
                const char            *password,
                Undo                  *undo,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr (MailAccountSecretKey) key = _mail_account_secret_key_new (account, direction);

  if (key == NULL)
    return TRUE;

  if (!_mail_account_secret_store (key, password, cancellable, error))
    return FALSE;
  g_ptr_array_add (undo->stored, g_steal_pointer (&key));

  return TRUE;
}

/* Adding ----------------------------------------------------------------------------- */

gboolean
_mail_account_work_add (MailAccount   *account,
                        const char    *password,
                        const char    *outgoing_password,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *path = mail_account_dup_settings_path (account);
  Undo undo;
  gboolean ok;

  if (address_taken (mail_account_get_address (account), NULL, error))
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_EXISTS,
                   _("An account with the identifier %s already exists."),
                   mail_account_get_id (account));
      return FALSE;
    }

  undo_init (&undo);
  ok = import_ca_files (account, &undo, error) &&
       store_password (account, MAIL_ACCOUNT_INCOMING, password, &undo, cancellable, error) &&
       store_password (account, MAIL_ACCOUNT_OUTGOING,
                       outgoing_password != NULL ? outgoing_password : password, &undo,
                       cancellable, error) &&
       write_settings (account, error);
  if (!ok)
    undo_run (&undo, account);
  undo_clear (&undo);

  return ok;
}

/* Updating --------------------------------------------------------------------------- */

/* The new server's password: the one given, or the one kept for the old server when only
 * its host or user name changed. */
static gboolean
carry_password (MailAccount           *old,
                MailAccount           *account,
                MailAccountDirection   direction,
                const char            *password,
                Undo                  *undo,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr (MailAccountSecretKey) old_key = _mail_account_secret_key_new (old, direction);
  g_autoptr (MailAccountSecretKey) new_key = _mail_account_secret_key_new (account, direction);
  char *kept = NULL;
  gboolean ok;

  if (new_key == NULL)
    return TRUE;
  if (password != NULL)
    return store_password (account, direction, password, undo, cancellable, error);
  if (_mail_account_secret_key_equal (old_key, new_key))
    return TRUE;

  if (old_key == NULL)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The %s server now signs in as %s: its password is needed"),
                   mail_protocol_to_display_name (new_key->protocol), new_key->user);
      return FALSE;
    }

  kept = _mail_account_secret_lookup (old_key, cancellable, error);
  if (kept == NULL)
    return FALSE;
  ok = store_password (account, direction, kept, undo, cancellable, error);
  mail_account_password_free (kept);

  return ok;
}

/* After a successful update, the items of servers the account no longer uses. */
static void
clear_stale_passwords (MailAccount *old,
                       MailAccount *account)
{
  g_autoptr (MailAccountSecretKey) new_in = _mail_account_secret_key_new (account,
                                                                          MAIL_ACCOUNT_INCOMING);
  g_autoptr (MailAccountSecretKey) new_out = _mail_account_secret_key_new (account,
                                                                           MAIL_ACCOUNT_OUTGOING);

  for (MailAccountDirection d = MAIL_ACCOUNT_INCOMING; d <= MAIL_ACCOUNT_OUTGOING; d++)
    {
      g_autoptr (MailAccountSecretKey) old_key = _mail_account_secret_key_new (old, d);
      g_autoptr (GError) error = NULL;

      if (old_key == NULL || _mail_account_secret_key_equal (old_key, new_in) ||
          _mail_account_secret_key_equal (old_key, new_out))
        continue;
      if (!_mail_account_secret_clear (mail_account_get_id (old), old_key, NULL, &error))
        g_warning ("Could not delete an old password of %s from the keyring: %s",
                   mail_account_get_address (account), error->message);
    }
}

gboolean
_mail_account_work_update (MailAccount   *old,
                           MailAccount   *account,
                           const char    *password,
                           const char    *outgoing_password,
                           GCancellable  *cancellable,
                           GError       **error)
{
  Undo undo;
  gboolean ok;

  if (!mail_account_address_equal (mail_account_get_address (old),
                                   mail_account_get_address (account)) &&
      address_taken (mail_account_get_address (account), mail_account_get_id (account), error))
    return FALSE;

  undo_init (&undo);
  ok = import_ca_files (account, &undo, error) &&
       carry_password (old, account, MAIL_ACCOUNT_INCOMING, password, &undo, cancellable,
                       error) &&
       carry_password (old, account, MAIL_ACCOUNT_OUTGOING,
                       outgoing_password != NULL ? outgoing_password : password, &undo,
                       cancellable, error) &&
       write_settings (account, error);
  if (ok)
    clear_stale_passwords (old, account);
  else
    {
      g_autoptr (MailAccountSecretKey) old_in = NULL;
      g_autoptr (MailAccountSecretKey) old_out = NULL;

      /* Passwords stored under the old keys replaced the old ones: those stay. */
      old_in = _mail_account_secret_key_new (old, MAIL_ACCOUNT_INCOMING);
      old_out = _mail_account_secret_key_new (old, MAIL_ACCOUNT_OUTGOING);
      for (guint i = undo.stored->len; i > 0; i--)
        {
          MailAccountSecretKey *key = g_ptr_array_index (undo.stored, i - 1);

          if (_mail_account_secret_key_equal (key, old_in) ||
              _mail_account_secret_key_equal (key, old_out))
            g_ptr_array_remove_index (undo.stored, i - 1);
        }
      undo_run (&undo, account);
    }
  undo_clear (&undo);

  return ok;
}

/* Removing --------------------------------------------------------------------------- */

gboolean
_mail_account_work_remove (MailAccount   *account,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *path = mail_account_dup_settings_path (account);
  g_autofree char *data_dir = mail_account_dup_data_dir (account);

  /* The passwords first: if the keyring cannot be reached, nothing is removed, and the
   * user can try again once it can. */
  if (!_mail_account_secret_clear (mail_account_get_id (account), NULL, cancellable, error))
    return FALSE;

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not delete the account settings %s: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return delete_recursively (data_dir, error);
}
