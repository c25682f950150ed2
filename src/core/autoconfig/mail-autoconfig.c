/* mail-autoconfig.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-autoconfig.h"

struct _MailAutoconfig
{
  GObject       parent_instance;
  GTlsDatabase *database;
  char         *ispdb_url;
  char        **local_dirs;
  guint         budget;
  gboolean      verify;
};

G_DEFINE_FINAL_TYPE (MailAutoconfig, mail_autoconfig, G_TYPE_OBJECT)

static void
mail_autoconfig_finalize (GObject *object)
{
  MailAutoconfig *self = MAIL_AUTOCONFIG (object);

  g_clear_object (&self->database);
  g_free (self->ispdb_url);
  g_strfreev (self->local_dirs);

  G_OBJECT_CLASS (mail_autoconfig_parent_class)->finalize (object);
}

static void
mail_autoconfig_class_init (MailAutoconfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mail_autoconfig_finalize;
}

static void
mail_autoconfig_init (MailAutoconfig *self)
{
  self->ispdb_url = g_strdup (MAIL_AUTOCONFIG_DEFAULT_ISPDB_URL);
  self->local_dirs = mail_autoconfig_default_local_dirs ();
  self->budget = MAIL_AUTOCONFIG_DEFAULT_BUDGET;
  self->verify = TRUE;
}

MailAutoconfig *
mail_autoconfig_new (void)
{
  return g_object_new (MAIL_TYPE_AUTOCONFIG, NULL);
}

void
mail_autoconfig_set_tls_database (MailAutoconfig *self,
                                  GTlsDatabase   *database)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  g_set_object (&self->database, database);
}

void
mail_autoconfig_set_ispdb_url (MailAutoconfig *self,
                               const char     *url)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  g_free (self->ispdb_url);
  self->ispdb_url = g_strdup (url);
}

void
mail_autoconfig_set_local_dirs (MailAutoconfig     *self,
                                const char * const *dirs)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  g_strfreev (self->local_dirs);
  self->local_dirs = g_strdupv ((char **) dirs);
}

void
mail_autoconfig_set_budget (MailAutoconfig *self,
                            guint           seconds)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  self->budget = seconds > 0 ? seconds : MAIL_AUTOCONFIG_DEFAULT_BUDGET;
}

void
mail_autoconfig_set_verify (MailAutoconfig *self,
                            gboolean        verify)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  self->verify = verify;
}

char **
mail_autoconfig_default_local_dirs (void)
{
  const char * const *system_dirs = g_get_system_config_dirs ();
  GPtrArray *dirs = g_ptr_array_new ();

  g_ptr_array_add (dirs, g_build_filename (g_get_user_data_dir (), APP_ID, "providers", NULL));
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (dirs, g_build_filename (system_dirs[i], APP_ID, "providers", NULL));
  g_ptr_array_add (dirs, g_build_filename (PKGDATADIR, "providers", NULL));
  g_ptr_array_add (dirs, NULL);

  return (char **) g_ptr_array_free (dirs, FALSE);
}

void
mail_autoconfig_detect_async (MailAutoconfig      *self,
                              const char          *address,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not yet");
}

MailAutoconfigReport *
mail_autoconfig_detect_finish (MailAutoconfig  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
