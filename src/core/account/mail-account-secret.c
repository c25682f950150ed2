/* mail-account-secret.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Passwords in the keyring, through libsecret, and nowhere else: not in the settings file,
 * not in a fallback file when the keyring is missing, never in a log. One item per server
 * of an account (schema org.example.Mail.Account; attributes account, protocol, host, user).
 *
 * Every failure of the keyring becomes one of three plain-language errors: there is no
 * keyring (KEYRING_UNAVAILABLE), it is locked and stayed locked (KEYRING_LOCKED), or it
 * refused (KEYRING_REFUSED). A locked keyring is asked to unlock first, which on a desktop
 * shows its own prompt.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "mail-account-private.h"
#include "mail-secret-buffer.h"
#include "mail-task.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    MAIL_ACCOUNT_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "protocol", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* Keys ------------------------------------------------------------------------------- */

/* The keyring item of @account's server in @direction; %NULL when that server takes no
 * password (an outgoing server without a user name). */
MailAccountSecretKey *
_mail_account_secret_key_new (MailAccount          *account,
                              MailAccountDirection  direction)
{
  const MailAccountServer *server = mail_account_get_server (account, direction);
  MailAccountSecretKey *key;

  if (server->username == NULL || server->username[0] == '\0')
    return NULL;

  key = g_new0 (MailAccountSecretKey, 1);
  key->account_id = g_strdup (mail_account_get_id (account));
  key->address = g_strdup (mail_account_get_address (account));
  key->protocol = server->protocol;
  key->host = g_strdup (server->host);
  key->user = g_strdup (server->username);

  return key;
}

void
_mail_account_secret_key_free (MailAccountSecretKey *key)
{
  if (key == NULL)
    return;

  g_free (key->account_id);
  g_free (key->address);
  g_free (key->host);
  g_free (key->user);
  g_free (key);
}

gboolean
_mail_account_secret_key_equal (const MailAccountSecretKey *a,
                                const MailAccountSecretKey *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->account_id, b->account_id) == 0 && a->protocol == b->protocol &&
         g_strcmp0 (a->host, b->host) == 0 && g_strcmp0 (a->user, b->user) == 0;
}

static GHashTable *
key_attributes (const char                 *account_id,
                const MailAccountSecretKey *key)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "account", (gpointer) account_id);
  if (key != NULL)
    {
      g_hash_table_insert (attributes, (gpointer) "protocol",
                           (gpointer) mail_protocol_to_string (key->protocol));
      g_hash_table_insert (attributes, (gpointer) "host", key->host);
      g_hash_table_insert (attributes, (gpointer) "user", key->user);
    }

  return attributes;
}

/* Errors ----------------------------------------------------------------------------- */

/* Turns what libsecret or D-Bus said (or a silent failure, @cause %NULL) into the
 * account error a person can act on. A cancellation stays a cancellation. */
static void
set_keyring_error (GError     **error,
                   GError      *cause,
                   const char  *doing)
{
  if (cause != NULL && g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }

  if (cause != NULL)
    g_debug ("keyring: %s failed: %s (%s %d)", doing, cause->message,
             g_quark_to_string (cause->domain), cause->code);

  if (cause != NULL && g_error_matches (cause, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_KEYRING_LOCKED,
                 _("The keyring is locked, so Mail could not %s. Unlock the keyring (for "
                   "example with the Passwords and Keys application, or by signing in to the "
                   "desktop again) and try again."), doing);
  else if (cause == NULL || cause->domain == SECRET_ERROR ||
           g_error_matches (cause, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED) ||
           g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_KEYRING_REFUSED,
                 _("The keyring refused, so Mail could not %s. Allow Mail to use the keyring "
                   "and try again."), doing);
  else
    g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_KEYRING_UNAVAILABLE,
                 _("No keyring is available, so Mail could not %s. Mail keeps passwords only "
                   "in the keyring (the Secret Service, such as GNOME Keyring), never in a "
                   "file: start or install a keyring and try again. (%s)"),
                 doing, cause->message);

  g_clear_error (&cause);
}

static SecretService *
get_service (const char    *doing,
             GCancellable  *cancellable,
             GError       **error)
{
  GError *local_error = NULL;
  SecretService *service;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, cancellable, &local_error);
  if (service == NULL)
    set_keyring_error (error, local_error, doing);

  return service;
}

/* What was being done, for the error message: "keep" or "read" the password. */
static char *
describe (const MailAccountSecretKey *key,
          gboolean                    store)
{
  const char *protocol = mail_protocol_to_display_name (key->protocol);

  return store ? g_strdup_printf (_("keep the password of the %s server %s"), protocol, key->host)
               : g_strdup_printf (_("read the password of the %s server %s"), protocol, key->host);
}

/* The collection passwords go to, unlocked (which may prompt); %TRUE when there is none
 * yet, as the keyring then creates it on the first store. */
static gboolean
unlock_default_collection (SecretService  *service,
                           const char     *doing,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr (SecretCollection) collection = NULL;
  g_autolist (GDBusProxy) unlocked = NULL;
  GError *local_error = NULL;
  GList objects = { NULL };

  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, cancellable,
                                                 &local_error);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, doing);
      return FALSE;
    }
  if (collection == NULL || !secret_collection_get_locked (collection))
    return TRUE;

  objects.data = collection;
  secret_service_unlock_sync (service, &objects, cancellable, &unlocked, &local_error);
  if (local_error == NULL && secret_collection_get_locked (collection))
    local_error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "still locked");
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, doing);
      return FALSE;
    }

  return TRUE;
}

/* The three operations, blocking; the manager's worker calls them directly ------------ */

gboolean
_mail_account_secret_store (const MailAccountSecretKey  *key,
                            const char                  *password,
                            GCancellable                *cancellable,
                            GError                     **error)
{
  g_autofree char *doing = describe (key, TRUE);
  g_autofree char *label = NULL;
  g_autoptr (SecretService) service = NULL;
  g_autoptr (SecretValue) value = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if ((service = get_service (doing, cancellable, error)) == NULL ||
      !unlock_default_collection (service, doing, cancellable, error))
    return FALSE;

  /* What the keyring's own window shows: the account and the server, never the secret. */
  label = g_strdup_printf (_("Mail account %s (%s, %s)"), key->address,
                           mail_protocol_to_display_name (key->protocol), key->host);
  attributes = key_attributes (key->account_id, key);
  value = secret_value_new (password, -1, "text/plain");

  if (!secret_service_store_sync (service, get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                  label, value, cancellable, &local_error))
    {
      set_keyring_error (error, local_error, doing);
      return FALSE;
    }

  return TRUE;
}

char *
_mail_account_secret_lookup (const MailAccountSecretKey  *key,
                             GCancellable                *cancellable,
                             GError                     **error)
{
  g_autofree char *doing = describe (key, FALSE);
  g_autoptr (SecretService) service = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  g_autolist (SecretItem) items = NULL;
  g_autoptr (SecretValue) value = NULL;
  GError *local_error = NULL;
  SecretItem *item;
  const char *text;

  g_return_val_if_fail (key != NULL, NULL);

  if ((service = get_service (doing, cancellable, error)) == NULL)
    return NULL;

  attributes = key_attributes (key->account_id, key);
  items = secret_service_search_sync (service, get_schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK |
                                      SECRET_SEARCH_LOAD_SECRETS,
                                      cancellable, &local_error);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, doing);
      return NULL;
    }
  if (items == NULL)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_NOT_FOUND,
                   _("The keyring holds no password for %s at the %s server %s"), key->user,
                   mail_protocol_to_display_name (key->protocol), key->host);
      return NULL;
    }

  item = items->data;
  if (secret_item_get_locked (item))
    {
      set_keyring_error (error, g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                                     "locked"), doing);
      return NULL;
    }

  value = secret_item_get_secret (item);
  text = value != NULL ? secret_value_get_text (value) : NULL;
  if (text == NULL)
    {
      set_keyring_error (error, NULL, doing);
      return NULL;
    }

  return g_strdup (text);
}

/* Deletes the keyring items of @account_id: only @key's when given, all otherwise. */
gboolean
_mail_account_secret_clear (const char                  *account_id,
                            const MailAccountSecretKey  *key,
                            GCancellable                *cancellable,
                            GError                     **error)
{
  const char *doing = _("delete the account’s passwords");
  g_autoptr (SecretService) service = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  g_autolist (SecretItem) items = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (account_id != NULL, FALSE);

  if ((service = get_service (doing, cancellable, error)) == NULL)
    return FALSE;

  attributes = key_attributes (account_id, key);
  items = secret_service_search_sync (service, get_schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, cancellable,
                                      &local_error);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, doing);
      return FALSE;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretItem *item = l->data;

      if (secret_item_get_locked (item))
        local_error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "locked");
      else
        secret_item_delete_sync (item, cancellable, &local_error);
      if (local_error != NULL)
        {
          set_keyring_error (error, local_error, doing);
          return FALSE;
        }
    }

  return TRUE;
}

/* The public calls, on an account ----------------------------------------------------- */

typedef struct
{
  MailAccountSecretKey *key;
  char                 *password;
} SecretJob;

static void
secret_job_free (SecretJob *job)
{
  _mail_account_secret_key_free (job->key);
  mail_account_password_free (job->password);
  g_free (job);
}

/* The key of @direction, or an INVALID error for a server that takes no password. */
static MailAccountSecretKey *
key_for (MailAccount           *account,
         MailAccountDirection   direction,
         GError               **error)
{
  MailAccountSecretKey *key = _mail_account_secret_key_new (account, direction);
  MailProtocol protocol = mail_account_get_server (account, direction)->protocol;

  if (key == NULL)
    g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                 _("The %s server of %s has no user name, so it takes no password"),
                 mail_protocol_to_display_name (protocol), mail_account_get_address (account));

  return key;
}

/**
 * mail_account_store_password_sync:
 * @account: an account
 * @direction: the server the password is for
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %MAIL_ACCOUNT_ERROR (a keyring error in plain language)
 *
 * Keeps @password in the keyring for the server's current host and user name, replacing
 * the one kept before. Blocks (and may show the keyring's unlock prompt).
 *
 * Returns: whether the password is in the keyring
 */
gboolean
mail_account_store_password_sync (MailAccount           *account,
                                  MailAccountDirection   direction,
                                  const char            *password,
                                  GCancellable          *cancellable,
                                  GError               **error)
{
  g_autoptr (MailAccountSecretKey) key = NULL;

  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if ((key = key_for (account, direction, error)) == NULL)
    return FALSE;

  return _mail_account_secret_store (key, password, cancellable, error);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SecretJob *job = task_data;
  GError *error = NULL;

  if (_mail_account_secret_store (job->key, job->password, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_account_store_password_async:
 * @account: an account
 * @direction: the server the password is for
 * @password: the password (copied, and wiped once stored)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * mail_account_store_password_sync() on a worker thread.
 */
void
mail_account_store_password_async (MailAccount           *account,
                                   MailAccountDirection   direction,
                                   const char            *password,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  SecretJob *job;

  g_return_if_fail (MAIL_IS_ACCOUNT (account));
  g_return_if_fail (password != NULL);

  task = mail_task_new (account, mail_account_store_password_async, "mail-account-store-password",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  job = g_new0 (SecretJob, 1);
  g_task_set_task_data (task, job, (GDestroyNotify) secret_job_free);
  if ((job->key = key_for (account, direction, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->password = g_strdup (password);
  g_task_run_in_thread (task, store_thread);
}

gboolean
mail_account_store_password_finish (MailAccount   *account,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_account_store_password_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_account_lookup_password_sync:
 * @account: an account
 * @direction: the server
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %MAIL_ACCOUNT_ERROR: NOT_FOUND when the keyring holds
 *   none, or a keyring error in plain language
 *
 * Reads the password of the server's current host and user name from the keyring. Blocks
 * (and may show the keyring's unlock prompt).
 *
 * Returns: (transfer full) (nullable): the password; free it with
 *   mail_account_password_free(), which wipes it
 */
char *
mail_account_lookup_password_sync (MailAccount           *account,
                                   MailAccountDirection   direction,
                                   GCancellable          *cancellable,
                                   GError               **error)
{
  g_autoptr (MailAccountSecretKey) key = NULL;

  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), NULL);

  if ((key = key_for (account, direction, error)) == NULL)
    return NULL;

  return _mail_account_secret_lookup (key, cancellable, error);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SecretJob *job = task_data;
  GError *error = NULL;
  char *password;

  password = _mail_account_secret_lookup (job->key, cancellable, &error);
  if (password != NULL)
    g_task_return_pointer (task, password, (GDestroyNotify) mail_account_password_free);
  else
    g_task_return_error (task, error);
}

/**
 * mail_account_lookup_password_async:
 * @account: an account
 * @direction: the server
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * mail_account_lookup_password_sync() on a worker thread.
 */
void
mail_account_lookup_password_async (MailAccount           *account,
                                    MailAccountDirection   direction,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  SecretJob *job;

  g_return_if_fail (MAIL_IS_ACCOUNT (account));

  task = mail_task_new (account, mail_account_lookup_password_async,
                        "mail-account-lookup-password", G_PRIORITY_DEFAULT, cancellable,
                        callback, user_data);
  job = g_new0 (SecretJob, 1);
  g_task_set_task_data (task, job, (GDestroyNotify) secret_job_free);
  if ((job->key = key_for (account, direction, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, lookup_thread);
}

/**
 * mail_account_lookup_password_finish:
 * @account: an account
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the password; free it with
 *   mail_account_password_free()
 */
char *
mail_account_lookup_password_finish (MailAccount   *account,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_account_lookup_password_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mail_account_clear_passwords_sync:
 * @account: an account
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a keyring error in plain language
 *
 * Deletes every password the keyring holds for @account (both servers, and any left from
 * earlier host or user names). Blocks.
 *
 * Returns: whether none is left
 */
gboolean
mail_account_clear_passwords_sync (MailAccount   *account,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), FALSE);

  return _mail_account_secret_clear (mail_account_get_id (account), NULL, cancellable, error);
}

static void
clear_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (_mail_account_secret_clear (task_data, NULL, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_account_clear_passwords_async:
 * @account: an account
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * mail_account_clear_passwords_sync() on a worker thread.
 */
void
mail_account_clear_passwords_async (MailAccount         *account,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_ACCOUNT (account));

  task = mail_task_new (account, mail_account_clear_passwords_async,
                        "mail-account-clear-passwords", G_PRIORITY_DEFAULT, cancellable,
                        callback, user_data);
  g_task_set_task_data (task, g_strdup (mail_account_get_id (account)), g_free);
  g_task_run_in_thread (task, clear_thread);
}

gboolean
mail_account_clear_passwords_finish (MailAccount   *account,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_account_clear_passwords_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_account_password_free:
 * @password: (nullable): a password from this API
 *
 * Wipes @password and frees it.
 */
void
mail_account_password_free (char *password)
{
  mail_secret_free_string (password);
}
