/* mail-autoconfig-local.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Configuration files on this computer: DIR/DOMAIN.xml in each of a list of folders
 * (the user's, the system administrator's, the ones shipped with the application), the
 * first one found winning. They are read like the files from the web: asynchronously and
 * no larger than the parser accepts.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-task.h"
#include "mail-autoconfig-local.h"

typedef struct
{
  char  **dirs;
  char   *file_name;
  char   *email_address;
  guint   index;
  char   *path;
} LocalData;

static void
local_data_free (LocalData *data)
{
  g_strfreev (data->dirs);
  g_free (data->file_name);
  g_free (data->email_address);
  g_free (data->path);
  g_free (data);
}

static void try_next_dir (GTask *task);

static void
load_contents_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LocalData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  MailAutoconfigResult *config;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          /* Removed between the look and the read: as if it had never been there. */
          data->index++;
          try_next_dir (task);
          return;
        }
      g_prefix_error (&error, _("The file %s could not be read: "), data->path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The file may have grown since its size was checked. */
  if (length > MAIL_AUTOCONFIG_PARSER_MAX_SIZE)
    {
      g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
                               _("The file %s is too large to be a configuration file."),
                               data->path);
      return;
    }

  config = mail_autoconfig_parse (contents, (gssize) length, data->email_address, &error);
  if (config == NULL)
    {
      g_prefix_error (&error, _("The file %s is not a valid configuration file: "), data->path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, config, (GDestroyNotify) mail_autoconfig_result_free);
}

static void
query_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LocalData *data = g_task_get_task_data (task);
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  GFile *file = G_FILE (source);
  GCancellable *cancellable;

  info = g_file_query_info_finish (file, result, &error);
  if (info == NULL)
    {
      /* A missing file or folder (or a folder path through a file) is the usual case. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY))
        {
          data->index++;
          try_next_dir (task);
          return;
        }
      g_prefix_error (&error, _("The file %s could not be read: "), data->path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                               _("%s is not a file."), data->path);
      return;
    }

  if (g_file_info_get_size (info) > MAIL_AUTOCONFIG_PARSER_MAX_SIZE)
    {
      g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
                               _("The file %s is too large to be a configuration file."),
                               data->path);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_file_load_contents_async (file, cancellable, load_contents_cb, g_steal_pointer (&task));
}

static void
try_next_dir (GTask *task)
{
  LocalData *data = g_task_get_task_data (task);
  g_autoptr (GFile) file = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Skip empty entries (an unset variable in a list of folders). */
  while (data->dirs[data->index] != NULL && *data->dirs[data->index] == '\0')
    data->index++;

  if (data->dirs[data->index] == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No configuration file for this domain is installed on this "
                                 "computer (%s)."), data->file_name);
      return;
    }

  g_free (data->path);
  data->path = g_build_filename (data->dirs[data->index], data->file_name, NULL);
  file = g_file_new_for_path (data->path);

  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), query_info_cb, g_object_ref (task));
}

/* DOMAIN.xml, or NULL when @domain could name a file outside the folder. */
static char *
file_name_for_domain (const char *domain)
{
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;

  if (*domain == '\0' || *domain == '.' || strchr (domain, '/') != NULL)
    return NULL;

  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL)
    return NULL;

  lower = g_ascii_strdown (ascii, -1);
  if (*lower == '\0' || *lower == '.' || strchr (lower, '/') != NULL ||
      strchr (lower, '\\') != NULL)
    return NULL;

  return g_strconcat (lower, ".xml", NULL);
}

/**
 * mail_autoconfig_local_lookup_async:
 * @dirs: (array zero-terminated=1): the folders to look in, in order
 * @domain: the mail domain; the file looked for is `DOMAIN.xml`, the domain in lower
 *   case ASCII (IDNA for Unicode names)
 * @email_address: the address whose settings are looked for, substituted into the file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Looks for a configuration file of @domain in @dirs. The first folder that has one
 * wins, even if that file turns out to be unusable. A domain that starts with a dot or
 * has a slash is refused (%G_IO_ERROR_INVALID_ARGUMENT), so that no file outside the
 * folders can be named.
 */
void
mail_autoconfig_local_lookup_async (const char * const  *dirs,
                                    const char          *domain,
                                    const char          *email_address,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *file_name = NULL;
  LocalData *data;

  g_return_if_fail (domain != NULL);
  g_return_if_fail (email_address != NULL);

  task = mail_task_new (NULL, mail_autoconfig_local_lookup_async,
                        "mail_autoconfig_local_lookup_async", G_PRIORITY_DEFAULT, cancellable,
                        callback, user_data);

  file_name = file_name_for_domain (domain);
  if (file_name == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a domain name."), domain);
      return;
    }

  data = g_new0 (LocalData, 1);
  data->dirs = dirs != NULL ? g_strdupv ((char **) dirs) : g_new0 (char *, 1);
  data->file_name = g_steal_pointer (&file_name);
  data->email_address = g_strdup (email_address);
  g_task_set_task_data (task, data, (GDestroyNotify) local_data_free);

  try_next_dir (task);
}

/**
 * mail_autoconfig_local_lookup_finish:
 * @result: the #GAsyncResult
 * @path: (out) (optional) (transfer full): the file that was read
 * @error: return location for a #GError: %G_IO_ERROR_NOT_FOUND when no folder has a
 *   file for the domain, %MAIL_AUTOCONFIG_ERROR when the file found is too large or not
 *   a valid configuration file
 *
 * Returns: (transfer full): the parsed file
 */
MailAutoconfigResult *
mail_autoconfig_local_lookup_finish (GAsyncResult  *result,
                                     char         **path,
                                     GError       **error)
{
  MailAutoconfigResult *config;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_autoconfig_local_lookup_async, NULL);

  config = g_task_propagate_pointer (G_TASK (result), error);
  if (path != NULL)
    {
      LocalData *data = g_task_get_task_data (G_TASK (result));

      *path = config != NULL && data != NULL ? g_strdup (data->path) : NULL;
    }

  return config;
}
