/* mail-account-manager.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The accounts of this user: a GListModel of MailAccount, loaded from the settings
 * directory, and the one way to add, change and remove an account, so that settings file,
 * data directory and keyring always agree (the work itself is in -work.c).
 *
 * The manager belongs to the thread that made it (the UI thread in the app, the main
 * thread in mail-tool): the list, the accounts in it and the signals live there. The _async
 * calls run their blocking work on the manager's queue, one at a time and in order, on a
 * copy of the account; the list changes, and the signals are emitted, back on the owner's
 * main context before the caller's callback runs. The _sync calls do the same work on the
 * calling thread; a lock keeps them and the queue from touching the disk at the same time.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-account-manager-private.h"
#include "mail-task.h"

struct _MailAccountManager
{
  GObject        parent_instance;

  GPtrArray     *accounts;
  MailTaskQueue *queue;
  GMutex         work_lock;
  gboolean       loaded;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MailAccountManager, mail_account_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ACCOUNT_ADDED,
  SIGNAL_ACCOUNT_CHANGED,
  SIGNAL_ACCOUNT_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* GListModel ------------------------------------------------------------------------- */

static GType
list_model_get_item_type (GListModel *model)
{
  return MAIL_TYPE_ACCOUNT;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return MAIL_ACCOUNT_MANAGER (model)->accounts->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  MailAccountManager *self = MAIL_ACCOUNT_MANAGER (model);

  if (position >= self->accounts->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

/* The object ------------------------------------------------------------------------- */

static void
mail_account_manager_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MailAccountManager *self = MAIL_ACCOUNT_MANAGER (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_account_manager_finalize (GObject *object)
{
  MailAccountManager *self = MAIL_ACCOUNT_MANAGER (object);

  /* Every queued job holds a reference: the queue is idle by now. */
  g_clear_pointer (&self->queue, mail_task_queue_free);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_mutex_clear (&self->work_lock);

  G_OBJECT_CLASS (mail_account_manager_parent_class)->finalize (object);
}

static void
mail_account_manager_class_init (MailAccountManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mail_account_manager_get_property;
  object_class->finalize = mail_account_manager_finalize;

  /**
   * MailAccountManager:loaded:
   *
   * Whether the accounts were read from the settings directory.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MailAccountManager::account-added:
   * @self: the manager
   * @account: the new account, already in the list, its settings and password saved
   *
   * Emitted when the user added an account (not for accounts loaded from disk, which
   * arrive through #GListModel::items-changed). This is the hook for the account's first
   * sync: the sync engine starts the account's engine here.
   */
  signals[SIGNAL_ACCOUNT_ADDED] =
    g_signal_new ("account-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, MAIL_TYPE_ACCOUNT);

  /**
   * MailAccountManager::account-changed:
   * @self: the manager
   * @account: the account, now holding its new settings
   *
   * Emitted after an update was saved, so that whoever uses the account's servers
   * reconnects with the new settings.
   */
  signals[SIGNAL_ACCOUNT_CHANGED] =
    g_signal_new ("account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, MAIL_TYPE_ACCOUNT);

  /**
   * MailAccountManager::account-removed:
   * @self: the manager
   * @account: the account, no longer in the list; its settings file, data directory and
   *   passwords are gone
   *
   * Emitted after an account was removed, so that its engine stops.
   */
  signals[SIGNAL_ACCOUNT_REMOVED] =
    g_signal_new ("account-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, MAIL_TYPE_ACCOUNT);
}

static void
mail_account_manager_init (MailAccountManager *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->queue = mail_task_queue_new ();
  g_mutex_init (&self->work_lock);
}

/**
 * mail_account_manager_new:
 *
 * A manager of the accounts in `$XDG_CONFIG_HOME/org.example.Mail/accounts`, empty until
 * loaded. Belongs to the calling thread.
 *
 * Returns: (transfer full): the manager
 */
MailAccountManager *
mail_account_manager_new (void)
{
  return g_object_new (MAIL_TYPE_ACCOUNT_MANAGER, NULL);
}

gboolean
mail_account_manager_get_loaded (MailAccountManager *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), FALSE);

  return self->loaded;
}

/* Looking up ------------------------------------------------------------------------- */

static gboolean
find_position (MailAccountManager *self,
               const char         *id,
               guint              *position)
{
  for (guint i = 0; i < self->accounts->len; i++)
    if (g_strcmp0 (mail_account_get_id (g_ptr_array_index (self->accounts, i)), id) == 0)
      {
        *position = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * mail_account_manager_lookup:
 * @self: a manager
 * @id: an account identifier
 *
 * Returns: (transfer none) (nullable): the account with @id
 */
MailAccount *
mail_account_manager_lookup (MailAccountManager *self,
                             const char         *id)
{
  guint position;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return find_position (self, id, &position) ? g_ptr_array_index (self->accounts, position)
                                              : NULL;
}

/**
 * mail_account_manager_lookup_by_address:
 * @self: a manager
 * @address: an email address
 *
 * Returns: (transfer none) (nullable): the account for @address (compared without regard
 *   to case)
 */
MailAccount *
mail_account_manager_lookup_by_address (MailAccountManager *self,
                                        const char         *address)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      MailAccount *account = g_ptr_array_index (self->accounts, i);

      if (mail_account_address_equal (mail_account_get_address (account), address))
        return account;
    }

  return NULL;
}

/**
 * mail_account_manager_find:
 * @self: a manager
 * @id_or_address: what a user typed to name an account: its address or its identifier
 *
 * Returns: (transfer none) (nullable): the account
 */
MailAccount *
mail_account_manager_find (MailAccountManager *self,
                           const char         *id_or_address)
{
  MailAccount *account;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), NULL);
  g_return_val_if_fail (id_or_address != NULL, NULL);

  account = mail_account_manager_lookup_by_address (self, id_or_address);
  if (account == NULL)
    account = mail_account_manager_lookup (self, id_or_address);

  return account;
}

/* Applying finished work to the list, on the owner's thread --------------------------- */

static void
apply_loaded (MailAccountManager *self,
              GPtrArray          *loaded)
{
  guint before = self->accounts->len;
  guint position;

  /* An account added while the directory was read is there already. */
  for (guint i = 0; i < loaded->len; i++)
    {
      MailAccount *account = g_ptr_array_index (loaded, i);

      if (!find_position (self, mail_account_get_id (account), &position))
        g_ptr_array_add (self->accounts, g_object_ref (account));
    }

  if (self->accounts->len > before)
    g_list_model_items_changed (G_LIST_MODEL (self), before, 0, self->accounts->len - before);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

static void
apply_added (MailAccountManager *self,
             MailAccount        *account)
{
  g_ptr_array_add (self->accounts, g_object_ref (account));
  g_list_model_items_changed (G_LIST_MODEL (self), self->accounts->len - 1, 0, 1);
  g_signal_emit (self, signals[SIGNAL_ACCOUNT_ADDED], 0, account);
}

static void
apply_updated (MailAccountManager *self,
               MailAccount        *account)
{
  MailAccount *listed = mail_account_manager_lookup (self, mail_account_get_id (account));

  if (listed == NULL)
    return;

  _mail_account_assign (listed, account);
  g_signal_emit (self, signals[SIGNAL_ACCOUNT_CHANGED], 0, listed);
}

static void
apply_removed (MailAccountManager *self,
               const char         *id)
{
  g_autoptr (MailAccount) account = NULL;
  guint position;

  if (!find_position (self, id, &position))
    return;

  account = g_ptr_array_steal_index (self->accounts, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_signal_emit (self, signals[SIGNAL_ACCOUNT_REMOVED], 0, account);
}

/* Jobs ------------------------------------------------------------------------------- */

typedef enum
{
  JOB_LOAD,
  JOB_ADD,
  JOB_UPDATE,
  JOB_REMOVE,
} JobKind;

/* One operation: the accounts are the job's own copies until the job is done. */
typedef struct
{
  JobKind      kind;
  MailAccount *account;
  MailAccount *old;
  char        *password;
  char        *outgoing_password;
  GPtrArray   *loaded;
  GTask       *outer;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->account);
  g_clear_object (&job->old);
  mail_account_password_free (job->password);
  mail_account_password_free (job->outgoing_password);
  g_clear_pointer (&job->loaded, g_ptr_array_unref);
  g_clear_object (&job->outer);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (JobKind      kind,
         MailAccount *account,
         const char  *password,
         const char  *outgoing_password)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->account = account != NULL ? mail_account_copy (account) : NULL;
  job->password = g_strdup (password);
  job->outgoing_password = g_strdup (outgoing_password);

  return job;
}

static gboolean
job_run (MailAccountManager  *self,
         Job                 *job,
         GCancellable        *cancellable,
         GError             **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->work_lock);

  /* Held for the whole job; only its release at the end matters. */
  (void) locker;

  switch (job->kind)
    {
    case JOB_LOAD:
      job->loaded = _mail_account_work_load (cancellable, error);
      return job->loaded != NULL;
    case JOB_ADD:
      return _mail_account_work_add (job->account, job->password, job->outgoing_password,
                                     cancellable, error);
    case JOB_UPDATE:
      return _mail_account_work_update (job->old, job->account, job->password,
                                        job->outgoing_password, cancellable, error);
    case JOB_REMOVE:
      return _mail_account_work_remove (job->account, cancellable, error);
    default:
      g_assert_not_reached ();
    }
}

static void
job_apply (MailAccountManager *self,
           Job                *job)
{
  switch (job->kind)
    {
    case JOB_LOAD:
      apply_loaded (self, job->loaded);
      break;
    case JOB_ADD:
      apply_added (self, job->account);
      break;
    case JOB_UPDATE:
      apply_updated (self, job->account);
      break;
    case JOB_REMOVE:
      apply_removed (self, mail_account_get_id (job->account));
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Checks what can be checked before any work: the settings are complete, and an update or
 * removal names an account of this manager. */
static gboolean
job_prepare (MailAccountManager  *self,
             Job                 *job,
             GError             **error)
{
  MailAccount *listed = NULL;

  if (job->kind == JOB_LOAD)
    return TRUE;

  if (job->kind != JOB_ADD)
    {
      listed = mail_account_manager_lookup (self, mail_account_get_id (job->account));
      if (listed == NULL)
        {
          g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_NOT_FOUND,
                       _("There is no account %s"), mail_account_get_address (job->account));
          return FALSE;
        }
      job->old = mail_account_copy (listed);
    }
  if (job->kind == JOB_REMOVE)
    return TRUE;

  if (!mail_account_validate (job->account, error))
    return FALSE;

  if (job->kind == JOB_ADD)
    {
      if (job->password == NULL || job->password[0] == '\0')
        {
          g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                       _("An account needs its password"));
          return FALSE;
        }
      if (mail_account_manager_lookup_by_address (self,
                                                  mail_account_get_address (job->account)) != NULL)
        {
          g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_EXISTS,
                       _("An account for %s already exists."),
                       mail_account_get_address (job->account));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
job_run_sync (MailAccountManager  *self,
              Job                 *job,
              GCancellable        *cancellable,
              GError             **error)
{
  if (!job_prepare (self, job, error) || !job_run (self, job, cancellable, error))
    return FALSE;

  job_apply (self, job);

  return TRUE;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (job_run (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back on the owner's main context: the list changes, then the caller hears of it. */
static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  MailAccountManager *self = MAIL_ACCOUNT_MANAGER (object);
  Job *job = user_data;
  g_autoptr (GTask) outer = g_steal_pointer (&job->outer);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  job_apply (self, job);
  if (job->kind == JOB_ADD)
    g_task_return_pointer (outer, g_object_ref (job->account), g_object_unref);
  else
    g_task_return_boolean (outer, TRUE);
}

static void
job_start (MailAccountManager  *self,
           Job                 *job,
           gpointer             source_tag,
           const char          *name,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr (GTask) outer = NULL;
  g_autoptr (GTask) inner = NULL;
  GError *error = NULL;

  outer = mail_task_new (self, source_tag, name, G_PRIORITY_DEFAULT, cancellable, callback,
                         user_data);
  /* Work that got done is reported as done, even if cancelled at the last moment: the
   * list must match the disk. */
  g_task_set_check_cancellable (outer, FALSE);

  if (!job_prepare (self, job, &error))
    {
      job_free (job);
      g_task_return_error (outer, error);
      return;
    }

  job->outer = g_steal_pointer (&outer);
  inner = g_task_new (self, cancellable, job_done_cb, job);
  g_task_set_name (inner, name);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, job, (GDestroyNotify) job_free);
  mail_task_queue_run (self->queue, inner, job_thread);
}

/* Loading ---------------------------------------------------------------------------- */

/**
 * mail_account_manager_load_sync:
 * @self: a manager
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error reading the directory
 *
 * Reads every account's settings file. A broken file is skipped with a warning that names
 * it; it never stops the others from loading. Blocks.
 *
 * Returns: whether the directory could be read (a missing one is empty)
 */
gboolean
mail_account_manager_load_sync (MailAccountManager  *self,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_autoptr (Job) job = NULL;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), FALSE);

  job = job_new (JOB_LOAD, NULL, NULL, NULL);

  return job_run_sync (self, job, cancellable, error);
}

/**
 * mail_account_manager_load_async:
 * @self: a manager
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the accounts are in the list
 * @user_data: for @callback
 *
 * mail_account_manager_load_sync() on the manager's queue.
 */
void
mail_account_manager_load_async (MailAccountManager  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (MAIL_IS_ACCOUNT_MANAGER (self));

  job_start (self, job_new (JOB_LOAD, NULL, NULL, NULL), mail_account_manager_load_async,
             "mail-account-manager-load", cancellable, callback, user_data);
}

gboolean
mail_account_manager_load_finish (MailAccountManager  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_account_manager_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Adding ----------------------------------------------------------------------------- */

/**
 * mail_account_manager_add_sync:
 * @self: a manager
 * @account: the new account (not changed; a copy goes into the list)
 * @password: the password of the incoming server
 * @outgoing_password: (nullable): the password of the outgoing server, when it differs
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %MAIL_ACCOUNT_ERROR (INVALID, EXISTS, or a keyring error
 *   in plain language) or a file error
 *
 * Saves a new account: copies an extra CA file into the account's data directory, stores
 * the passwords in the keyring, then writes the settings file. When anything fails,
 * nothing of the account is left: no settings file, no password, no copied file. Blocks
 * (and may show the keyring's unlock prompt). Emits #MailAccountManager::account-added.
 *
 * Returns: (transfer full) (nullable): the account as it is now in the list
 */
MailAccount *
mail_account_manager_add_sync (MailAccountManager  *self,
                               MailAccount         *account,
                               const char          *password,
                               const char          *outgoing_password,
                               GCancellable        *cancellable,
                               GError             **error)
{
  g_autoptr (Job) job = NULL;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), NULL);
  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), NULL);

  job = job_new (JOB_ADD, account, password, outgoing_password);
  if (!job_run_sync (self, job, cancellable, error))
    return NULL;

  return g_object_ref (job->account);
}

/**
 * mail_account_manager_add_async:
 * @self: a manager
 * @account: the new account (copied at once)
 * @password: the password of the incoming server (copied, wiped once stored)
 * @outgoing_password: (nullable): the outgoing server's, when it differs
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the account is saved and in the list, or nothing was saved
 * @user_data: for @callback
 *
 * mail_account_manager_add_sync() on the manager's queue.
 */
void
mail_account_manager_add_async (MailAccountManager  *self,
                                MailAccount         *account,
                                const char          *password,
                                const char          *outgoing_password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (MAIL_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (MAIL_IS_ACCOUNT (account));

  job_start (self, job_new (JOB_ADD, account, password, outgoing_password),
             mail_account_manager_add_async, "mail-account-manager-add", cancellable, callback,
             user_data);
}

/**
 * mail_account_manager_add_finish:
 * @self: a manager
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the account as it is now in the list
 */
MailAccount *
mail_account_manager_add_finish (MailAccountManager  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_account_manager_add_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Updating --------------------------------------------------------------------------- */

/**
 * mail_account_manager_update_sync:
 * @self: a manager
 * @account: an edited copy (mail_account_copy()) of an account of @self
 * @password: (nullable): a new password for the incoming server, or %NULL to keep it
 * @outgoing_password: (nullable): a new password for the outgoing server; %NULL for the
 *   same as @password
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Saves new settings for an account. A password kept for a server whose host or user name
 * changed moves with it. On failure the old settings and passwords stay. Blocks. Emits
 * #MailAccountManager::account-changed with the listed account, which then holds the new
 * settings.
 *
 * Returns: whether the new settings are saved
 */
gboolean
mail_account_manager_update_sync (MailAccountManager  *self,
                                  MailAccount         *account,
                                  const char          *password,
                                  const char          *outgoing_password,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_autoptr (Job) job = NULL;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), FALSE);
  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), FALSE);

  job = job_new (JOB_UPDATE, account, password, outgoing_password);

  return job_run_sync (self, job, cancellable, error);
}

/**
 * mail_account_manager_update_async:
 * @self: a manager
 * @account: an edited copy of an account of @self (copied at once)
 * @password: (nullable): a new incoming password
 * @outgoing_password: (nullable): a new outgoing password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * mail_account_manager_update_sync() on the manager's queue.
 */
void
mail_account_manager_update_async (MailAccountManager  *self,
                                   MailAccount         *account,
                                   const char          *password,
                                   const char          *outgoing_password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (MAIL_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (MAIL_IS_ACCOUNT (account));

  job_start (self, job_new (JOB_UPDATE, account, password, outgoing_password),
             mail_account_manager_update_async, "mail-account-manager-update", cancellable,
             callback, user_data);
}

gboolean
mail_account_manager_update_finish (MailAccountManager  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_account_manager_update_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Removing --------------------------------------------------------------------------- */

/**
 * mail_account_manager_remove_sync:
 * @self: a manager
 * @account: an account of @self
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Removes an account: its passwords from the keyring first (when the keyring cannot be
 * reached, nothing is removed), then its settings file, then its data directory with
 * everything in it (the local copy of its mail). Blocks. Emits
 * #MailAccountManager::account-removed.
 *
 * Returns: whether the account is gone
 */
gboolean
mail_account_manager_remove_sync (MailAccountManager  *self,
                                  MailAccount         *account,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_autoptr (Job) job = NULL;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), FALSE);
  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), FALSE);

  job = job_new (JOB_REMOVE, account, NULL, NULL);

  return job_run_sync (self, job, cancellable, error);
}

/**
 * mail_account_manager_remove_async:
 * @self: a manager
 * @account: an account of @self
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * mail_account_manager_remove_sync() on the manager's queue.
 */
void
mail_account_manager_remove_async (MailAccountManager  *self,
                                   MailAccount         *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (MAIL_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (MAIL_IS_ACCOUNT (account));

  job_start (self, job_new (JOB_REMOVE, account, NULL, NULL), mail_account_manager_remove_async,
             "mail-account-manager-remove", cancellable, callback, user_data);
}

gboolean
mail_account_manager_remove_finish (MailAccountManager  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_account_manager_remove_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
