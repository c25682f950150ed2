/* mail-application.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-application.h"
#include "mail-sync-engine.h"
#include "mail-tls-database.h"
#include "mail-window.h"

struct _MailApplication
{
  AdwApplication  parent_instance;

  GSettings          *settings;
  char               *ca_file_option;
  GTlsDatabase       *tls_database;
  MailAccountManager *accounts;
  GHashTable         *engines;  /* account id -> MailSyncEngine */
};

G_DEFINE_FINAL_TYPE (MailApplication, mail_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { "ca-file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Also trust the certificate authorities in FILE (for a private company CA)"),
    N_("FILE") },
  { NULL }
};

static int
mail_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  MailApplication *self = MAIL_APPLICATION (app);
  const char *ca_file = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", APP_ID, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "ca-file", "^&ay", &ca_file))
    {
      g_free (self->ca_file_option);
      self->ca_file_option = g_canonicalize_filename (ca_file, NULL);
    }

  return G_APPLICATION_CLASS (mail_application_parent_class)->handle_local_options (app, options);
}

static void
mail_application_load_tls_database (MailApplication *self)
{
  g_autofree char *setting = g_settings_get_string (self->settings, "extra-ca-file");
  const char *ca_file = self->ca_file_option != NULL ? self->ca_file_option : setting;
  g_autoptr (GError) error = NULL;

  g_clear_object (&self->tls_database);
  self->tls_database = mail_tls_database_new (ca_file, &error);
  if (self->tls_database == NULL)
    {
      /* Without the extra authorities, servers signed by them are simply not trusted:
       * connections fail with a certificate error the user can see, never silently. */
      g_warning ("%s", error->message);
      g_clear_error (&error);
      self->tls_database = mail_tls_database_new (NULL, &error);
      if (self->tls_database == NULL)
        g_warning ("%s", error->message);
    }
}

/* Sync engines: one per IMAP account, started for the accounts loaded at start and for
 * each added one (its first sync), stopped when the account goes. */

static void
engine_synced_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MailSyncEngine *engine = MAIL_SYNC_ENGINE (object);
  g_autoptr (GError) error = NULL;

  if (!mail_sync_engine_sync_finish (engine, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not sync %s: %s",
               mail_account_get_address (mail_sync_engine_get_account (engine)), error->message);
}

static void
start_engine (MailApplication *self,
              MailAccount     *account)
{
  const MailAccountServer *server = mail_account_get_server (account, MAIL_ACCOUNT_INCOMING);
  g_autofree char *dir = NULL;
  MailSyncEngine *engine;

  if (server == NULL || server->protocol != MAIL_PROTOCOL_IMAP ||
      g_hash_table_contains (self->engines, mail_account_get_id (account)))
    return;

  dir = mail_account_dup_data_dir (account);
  engine = mail_sync_engine_new (account, dir);
  g_hash_table_insert (self->engines, g_strdup (mail_account_get_id (account)), engine);
  mail_sync_engine_start (engine);
  mail_sync_engine_sync_async (engine, NULL, MAIL_SYNC_DEFAULT, NULL, engine_synced_cb, NULL);
}

static void
account_added_cb (MailAccountManager *manager,
                  MailAccount        *account,
                  gpointer            user_data)
{
  start_engine (MAIL_APPLICATION (user_data), account);
}

static void
account_removed_cb (MailAccountManager *manager,
                    MailAccount        *account,
                    gpointer            user_data)
{
  MailApplication *self = MAIL_APPLICATION (user_data);
  gpointer key = NULL;
  gpointer engine = NULL;

  /* Stopped off the UI thread: its thread may be closing a connection. The task keeps the
   * engine until then. */
  if (g_hash_table_steal_extended (self->engines, mail_account_get_id (account), &key, &engine))
    {
      mail_sync_engine_stop_async (engine, NULL, NULL);
      g_object_unref (engine);
      g_free (key);
    }
}

static void
accounts_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  /* A broken settings file was skipped with a warning; only an unreadable directory
   * ends here, and then there are no accounts to show. */
  if (!mail_account_manager_load_finish (MAIL_ACCOUNT_MANAGER (object), result, &error))
    {
      g_warning ("%s", error->message);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (object)); i++)
    {
      g_autoptr (MailAccount) account = g_list_model_get_item (G_LIST_MODEL (object), i);

      start_engine (MAIL_APPLICATION (user_data), account);
    }
}

static void
mail_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (mail_window_new (MAIL_APPLICATION (app)));

  gtk_window_present (window);
}

static void
mail_application_startup (GApplication *app)
{
  MailApplication *self = MAIL_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (mail_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  mail_application_load_tls_database (self);

  /* The accounts are read off the UI thread; the list fills in when they are. */
  self->accounts = mail_account_manager_new ();
  self->engines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_signal_connect_object (self->accounts, "account-added", G_CALLBACK (account_added_cb), self,
                           G_CONNECT_DEFAULT);
  g_signal_connect_object (self->accounts, "account-removed", G_CALLBACK (account_removed_cb),
                           self, G_CONNECT_DEFAULT);
  mail_account_manager_load_async (self->accounts, NULL, accounts_loaded_cb, self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Mail authors", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Mail"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Set up your mail in seconds and keep every message safe"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb },
  { "about", about_action_cb },
};

static void
mail_application_dispose (GObject *object)
{
  MailApplication *self = MAIL_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->tls_database);
  /* Each engine stops (and its thread ends) as it is freed. */
  g_clear_pointer (&self->engines, g_hash_table_unref);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (mail_application_parent_class)->dispose (object);
}

static void
mail_application_finalize (GObject *object)
{
  MailApplication *self = MAIL_APPLICATION (object);

  g_clear_pointer (&self->ca_file_option, g_free);

  G_OBJECT_CLASS (mail_application_parent_class)->finalize (object);
}

static void
mail_application_class_init (MailApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mail_application_dispose;
  object_class->finalize = mail_application_finalize;

  app_class->activate = mail_application_activate;
  app_class->startup = mail_application_startup;
  app_class->handle_local_options = mail_application_handle_local_options;
}

static void
mail_application_init (MailApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
}

MailApplication *
mail_application_new (void)
{
  return g_object_new (MAIL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/org/example/Mail",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/**
 * mail_application_get_tls_database:
 * @self: a #MailApplication
 *
 * Returns: (transfer none) (nullable): the trust store every connection of the app uses:
 *   the system's, plus the extra CA file from `--ca-file` or the settings
 */
GTlsDatabase *
mail_application_get_tls_database (MailApplication *self)
{
  g_return_val_if_fail (MAIL_IS_APPLICATION (self), NULL);

  return self->tls_database;
}

/**
 * mail_application_get_account_manager:
 * @self: a #MailApplication
 *
 * Returns: (transfer none): the accounts of this user, shared by every window; the
 *   sync engine follows its #MailAccountManager::account-added signal
 */
MailAccountManager *
mail_application_get_account_manager (MailApplication *self)
{
  g_return_val_if_fail (MAIL_IS_APPLICATION (self), NULL);

  return self->accounts;
}
