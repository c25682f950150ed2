/* mail-tool-sync.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* mail-tool sync, folders, list, show and search: the account's sync engine and its local
 * store, with the same settings, store and keyring as the app.
 *
 * ACCOUNT is an account's address (or id); without it, the only account. A MESSAGE for
 * `show` is a store message id (the number `list --json` does not print but `search
 * --json` does, as "id") or FOLDER:UID, such as INBOX:42.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mail-account-manager.h"
#include "mail-mime.h"
#include "mail-net-error.h"
#include "mail-store.h"
#include "mail-sync-engine.h"
#include "mail-tool.h"

/* Errors ----------------------------------------------------------------------------- */

static const char *
error_category (const GError *error)
{
  if (error->domain == MAIL_ACCOUNT_ERROR)
    return mail_account_error_category (error);
  if (error->domain == MAIL_STORE_ERROR)
    return error->code == MAIL_STORE_ERROR_NOT_FOUND ? "not-found" : "store";
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return "not-supported";

  return mail_error_category_to_string (mail_error_categorize (error));
}

static int
fail (const char   *command,
      const GError *error)
{
  g_printerr ("mail-tool %s: %s: %s\n", command, error_category (error), error->message);

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? MAIL_TOOL_EXIT_CANCELLED
                                                                    : MAIL_TOOL_EXIT_FAILED;
}

static int
usage (const char *command,
       const char *message)
{
  g_printerr ("mail-tool %s: %s\n", command, message);

  return MAIL_TOOL_EXIT_USAGE;
}

/* The account named, or the only one. */
static MailAccount *
find_account (const char  *name,
              GError     **error)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  MailAccount *account;
  guint n;

  if (!mail_account_manager_load_sync (manager, NULL, error))
    return NULL;

  if (name != NULL)
    {
      account = mail_account_manager_find (manager, name);
      if (account == NULL)
        {
          g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_NOT_FOUND,
                       _("There is no account %s"), name);
          return NULL;
        }
      return g_object_ref (account);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (manager));
  if (n != 1)
    {
      g_set_error_literal (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_NOT_FOUND,
                           n == 0 ? _("There is no account: add one with “mail-tool account add”")
                                  : _("There are several accounts: name one by its address"));
      return NULL;
    }

  return g_list_model_get_item (G_LIST_MODEL (manager), 0);
}

static MailStore *
open_store (MailAccount  *account,
            GError      **error)
{
  g_autofree char *dir = mail_account_dup_data_dir (account);

  return mail_store_open (dir, error);
}

/* Running the engine ----------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  /* What done_cb() got, for the caller of wait_run() to pass to the right _finish. */
  GAsyncResult *result;
  gboolean   tty;
  gint64     started;
  gboolean   line_open;
} Wait;

static void
progress_cb (MailSyncEngine         *engine,
             const MailSyncProgress *progress,
             gpointer                user_data)
{
  Wait *wait = user_data;
  double seconds = (g_get_monotonic_time () - wait->started) / (double) G_USEC_PER_SEC;

  if (wait->tty)
    {
      g_print ("\r\033[K%s: %s %u/%u (%.0f/s)", progress->folder, progress->phase,
               progress->done, progress->total,
               seconds > 0.01 ? progress->done / seconds : 0.0);
      wait->line_open = TRUE;
    }
  else if (progress->done == progress->total)
    g_print ("%s: %s %u/%u\n", progress->folder, progress->phase, progress->done,
             progress->total);
  if (progress->done == progress->total)
    wait->started = g_get_monotonic_time ();
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* Runs the loop until done_cb() and returns (transfer full) the result it got. */
static GAsyncResult *
wait_run (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return g_steal_pointer (&wait->result);
}

int
mail_tool_sync (int    argc,
                char **argv)
{
  gboolean bodies = FALSE;
  gboolean headers_only = FALSE;
  const GOptionEntry entries[] = {
    { "bodies", 0, 0, G_OPTION_ARG_NONE, &bodies,
      N_("Also fetch every message body, whatever its date (an offline copy)"), NULL },
    { "headers-only", 0, 0, G_OPTION_ARG_NONE, &headers_only,
      N_("Fetch no body, not even those of the sync window"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("[ACCOUNT]"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailSyncEngine) engine = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *dir = NULL;
  Wait wait = { 0 };
  g_autoptr (GAsyncResult) result = NULL;
  MailSyncFlags flags = MAIL_SYNC_DEFAULT;

  g_option_context_set_summary (context,
    _("Sync an account into its local store: the folder list, every message’s headers and "
      "flags, and the bodies of the sync window (all of them with --bodies)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("mail-tool sync");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("sync", error->message);
  if (argc > 2)
    return usage ("sync", _("name at most one account"));

  if ((account = find_account (argc == 2 ? argv[1] : NULL, &error)) == NULL)
    return fail ("sync", error);
  if (bodies)
    flags |= MAIL_SYNC_ALL_BODIES;
  else if (headers_only)
    flags |= MAIL_SYNC_HEADERS_ONLY;

  dir = mail_account_dup_data_dir (account);
  engine = mail_sync_engine_new (account, dir);
  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  wait.tty = isatty (STDOUT_FILENO);
  wait.started = g_get_monotonic_time ();
  g_signal_connect (engine, "progress", G_CALLBACK (progress_cb), &wait);
  mail_sync_engine_start (engine);
  mail_sync_engine_sync_async (engine, NULL, flags, NULL, done_cb, &wait);
  result = wait_run (&wait);
  mail_sync_engine_sync_finish (engine, result, &wait.error);
  mail_sync_engine_stop (engine);
  /* Progress still queued for this context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handlers_disconnect_by_data (engine, &wait);
  if (wait.line_open)
    g_print ("\n");

  if (wait.error != NULL)
    {
      g_autoptr (GError) failed = g_steal_pointer (&wait.error);

      return fail ("sync", failed);
    }
  g_print (_("Synced %s.\n"), mail_account_get_address (account));

  return MAIL_TOOL_EXIT_OK;
}

/* Folders ---------------------------------------------------------------------------- */

int
mail_tool_folders (int    argc,
                   char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array of folders"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("[ACCOUNT]"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailStore) store = NULL;
  g_autoptr (GPtrArray) folders = NULL;

  g_option_context_set_summary (context, _("List the folders of an account, as last synced."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("mail-tool folders");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("folders", error->message);
  if (argc > 2)
    return usage ("folders", _("name at most one account"));

  if ((account = find_account (argc == 2 ? argv[1] : NULL, &error)) == NULL ||
      (store = open_store (account, &error)) == NULL ||
      (folders = mail_store_list_folders (store, &error)) == NULL)
    return fail ("folders", error);

  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < folders->len; i++)
        {
          MailFolderSummary *folder = g_ptr_array_index (folders, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, mail_folder_summary_get_name (folder));
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder,
            mail_folder_role_to_string (mail_folder_summary_get_role (folder)));
          json_builder_set_member_name (builder, "subscribed");
          json_builder_add_boolean_value (builder, mail_folder_summary_get_subscribed (folder));
          json_builder_set_member_name (builder, "selectable");
          json_builder_add_boolean_value (builder, !(mail_folder_summary_get_attributes (folder) &
                                                     (MAIL_FOLDER_NOSELECT | MAIL_FOLDER_NONEXISTENT)));
          json_builder_set_member_name (builder, "total");
          json_builder_add_int_value (builder, mail_folder_summary_get_total (folder));
          json_builder_set_member_name (builder, "unread");
          json_builder_add_int_value (builder, mail_folder_summary_get_unread (folder));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      mail_tool_json_print (builder);
    }
  else
    for (guint i = 0; i < folders->len; i++)
      {
        MailFolderSummary *folder = g_ptr_array_index (folders, i);
        MailFolderRole role = mail_folder_summary_get_role (folder);

        g_print ("%-30s %6u %s, %u %s%s%s\n", mail_folder_summary_get_name (folder),
                 mail_folder_summary_get_total (folder), _("messages"),
                 mail_folder_summary_get_unread (folder), _("unread"),
                 role != MAIL_FOLDER_ROLE_NONE ? ", " : "",
                 role != MAIL_FOLDER_ROLE_NONE ? mail_folder_role_to_string (role) : "");
      }

  return MAIL_TOOL_EXIT_OK;
}

/* Messages --------------------------------------------------------------------------- */

static const struct
{
  guint32     flag;
  const char *name;
} flag_names[] = {
  { MAIL_MESSAGE_SEEN, "\\Seen" },
  { MAIL_MESSAGE_ANSWERED, "\\Answered" },
  { MAIL_MESSAGE_FLAGGED, "\\Flagged" },
  { MAIL_MESSAGE_DELETED, "\\Deleted" },
  { MAIL_MESSAGE_DRAFT, "\\Draft" },
  { MAIL_MESSAGE_FORWARDED, "$Forwarded" },
  { MAIL_MESSAGE_JUNK, "$Junk" },
  { MAIL_MESSAGE_NOT_JUNK, "$NotJunk" },
};

static char *
format_date (gint64 date)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (date);

  return time != NULL ? g_date_time_format_iso8601 (time) : g_strdup ("");
}

/* "Name <address>", or the address alone. */
static char *
format_sender (MailMessageSummary *message)
{
  const char *name = mail_message_summary_get_sender_name (message);
  const char *address = mail_message_summary_get_sender_address (message);

  if (name != NULL && *name != '\0' && address != NULL && *address != '\0')
    return g_strdup_printf ("%s <%s>", name, address);
  if (address != NULL && *address != '\0')
    return g_strdup (address);

  return g_strdup (mail_message_summary_get_sender (message));
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The keys `list --json` prints, exactly; `search --json` adds its own after them. */
static void
add_message (JsonBuilder        *builder,
             MailMessageSummary *message)
{
  g_autofree char *date = format_date (mail_message_summary_get_date (message));
  g_autofree char *from = format_sender (message);
  guint32 flags = mail_message_summary_get_flags (message);

  json_builder_set_member_name (builder, "uid");
  json_builder_add_int_value (builder, mail_message_summary_get_uid (message));
  add_string (builder, "message_id", mail_message_summary_get_message_id (message));
  add_string (builder, "from", from);
  add_string (builder, "to", mail_message_summary_get_recipients (message));
  add_string (builder, "subject", mail_message_summary_get_subject (message));
  add_string (builder, "date", date);
  json_builder_set_member_name (builder, "flags");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (flags & flag_names[i].flag)
      json_builder_add_string_value (builder, flag_names[i].name);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) mail_message_summary_get_size (message));
  json_builder_set_member_name (builder, "has_attachments");
  json_builder_add_boolean_value (builder, mail_message_summary_get_has_attachments (message));
  add_string (builder, "preview", mail_message_summary_get_preview (message));
}

static void
print_json_line (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_message_line (MailMessageSummary *message,
                    const char         *folder)
{
  g_autofree char *date = format_date (mail_message_summary_get_date (message));
  const char *subject = mail_message_summary_get_subject (message);
  const char *sender = mail_message_summary_get_sender (message);
  g_autofree char *short_sender = g_utf8_substring (sender != NULL ? sender : "", 0, 28);
  glong pad = 28 - g_utf8_strlen (short_sender, -1);

  g_print ("%s%s%-7u %s %c%c %s%*s %s\n", folder != NULL ? folder : "",
           folder != NULL ? ":" : "", mail_message_summary_get_uid (message), date,
           mail_message_summary_get_unread (message) ? 'N' : ' ',
           mail_message_summary_get_flagged (message) ? '*' : ' ',
           short_sender, (int) MAX (pad, 0), "", subject != NULL ? subject : "");
}

int
mail_tool_list (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  char *account_name = NULL;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("The account (its address)"),
      "ADDRESS" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per message"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("List at most N messages"), "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("[FOLDER]"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailStore) store = NULL;
  g_autoptr (GPtrArray) messages = NULL;
  g_autofree char *account_owned = NULL;
  const char *folder;
  gint64 folder_id;

  g_option_context_set_summary (context,
    _("List the messages of a folder (INBOX unless named), newest first, from the local "
      "store."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("mail-tool list");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("list", error->message);
  account_owned = account_name;
  if (argc > 2)
    return usage ("list", _("name at most one folder"));
  if (limit < 0)
    return usage ("list", _("--limit must be positive"));
  folder = argc == 2 ? argv[1] : "INBOX";

  if ((account = find_account (account_name, &error)) == NULL ||
      (store = open_store (account, &error)) == NULL ||
      !mail_store_lookup_folder (store, folder, &folder_id, &error) ||
      (messages = mail_store_list_messages (store, folder_id, 0,
                                            limit > 0 ? (guint) limit : G_MAXINT,
                                            &error)) == NULL)
    return fail ("list", error);

  for (guint i = 0; i < messages->len; i++)
    {
      MailMessageSummary *message = g_ptr_array_index (messages, i);

      if (json)
        {
          g_autoptr (JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          add_message (builder, message);
          json_builder_end_object (builder);
          print_json_line (builder);
        }
      else
        print_message_line (message, NULL);
    }

  return MAIL_TOOL_EXIT_OK;
}

/* MESSAGE: a store id, or FOLDER:UID. */
static gboolean
resolve_message (MailStore   *store,
                 const char  *text,
                 gint64      *id,
                 GError     **error)
{
  const char *colon = strrchr (text, ':');
  guint64 number;

  if (colon == NULL)
    {
      if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &number, NULL))
        {
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID,
                       _("“%s” is neither a message id nor FOLDER:UID"), text);
          return FALSE;
        }
      *id = (gint64) number;
      return TRUE;
    }
  else
    {
      g_autofree char *folder = g_strndup (text, colon - text);
      gint64 folder_id;

      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT32, &number, NULL))
        {
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID,
                       _("“%s” is not a UID"), colon + 1);
          return FALSE;
        }

      return mail_store_lookup_folder (store, folder, &folder_id, error) &&
             mail_store_lookup_uid (store, folder_id, (guint32) number, id, error);
    }
}

int
mail_tool_show (int    argc,
                char **argv)
{
  char *account_name = NULL;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("The account (its address)"),
      "ADDRESS" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("MESSAGE"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailStore) store = NULL;
  g_autoptr (MailMessageSummary) message = NULL;
  g_autoptr (MailMimeSummary) summary = NULL;
  g_autofree char *account_owned = NULL;
  g_autofree char *path = NULL;
  g_autofree char *date = NULL;
  gint64 id;

  g_option_context_set_summary (context,
    _("Print a message’s headers and text. MESSAGE is FOLDER:UID (INBOX:42) or a message id "
      "from “search --json”. A body that is not stored yet is fetched from the server."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("mail-tool show");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("show", error->message);
  account_owned = account_name;
  if (argc != 2)
    return usage ("show", _("name exactly one message"));

  if ((account = find_account (account_name, &error)) == NULL ||
      (store = open_store (account, &error)) == NULL ||
      !resolve_message (store, argv[1], &id, &error) ||
      (message = mail_store_get_message (store, id, &error)) == NULL)
    return fail ("show", error);

  if (mail_message_summary_get_body_state (message) == MAIL_STORE_BODY_COMPLETE)
    path = mail_store_dup_body_path (store, id, &error);
  else
    {
      g_autofree char *dir = mail_account_dup_data_dir (account);
      g_autoptr (MailSyncEngine) engine = mail_sync_engine_new (account, dir);
      g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      Wait wait = { loop, NULL, NULL, FALSE, 0, FALSE };
      g_autoptr (GAsyncResult) result = NULL;

      mail_sync_engine_start (engine);
      mail_sync_engine_fetch_body_async (engine, id, NULL, done_cb, &wait);
      result = wait_run (&wait);
      path = mail_sync_engine_fetch_body_finish (engine, result, &wait.error);
      mail_sync_engine_stop (engine);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (wait.error != NULL)
        g_propagate_error (&error, wait.error);
    }
  if (path == NULL || (summary = mail_mime_parse_file (path, mail_message_summary_get_date (message),
                                                       &error)) == NULL)
    return fail ("show", error);

  date = format_date (summary->date);
  g_print ("From: %s\n", mail_message_summary_get_sender (message) != NULL
                           ? mail_message_summary_get_sender (message) : "");
  g_print ("To: %s\n", mail_message_summary_get_recipients (message) != NULL
                         ? mail_message_summary_get_recipients (message) : "");
  g_print ("Subject: %s\n", summary->subject != NULL ? summary->subject : "");
  g_print ("Date: %s\n\n", date);
  g_print ("%s\n", summary->body_text != NULL ? summary->body_text : "");

  return MAIL_TOOL_EXIT_OK;
}

int
mail_tool_search (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  char *account_name = NULL;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("The account (its address)"),
      "ADDRESS" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per result"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Print at most N results"), "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("QUERY"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailStore) store = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GPtrArray) folders = NULL;
  g_autoptr (GHashTable) folder_names = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                               g_free, NULL);
  g_autofree char *account_owned = NULL;
  g_autofree char *query = NULL;

  g_option_context_set_summary (context,
    _("Search the local full-text index (senders, recipients, subjects, and the bodies "
      "stored). Each result says it came from the local index; asking the server for "
      "messages whose body is not stored comes later."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("mail-tool search");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("search", error->message);
  account_owned = account_name;
  if (argc < 2)
    return usage ("search", _("give a query"));
  query = g_strjoinv (" ", argv + 1);

  if ((account = find_account (account_name, &error)) == NULL ||
      (store = open_store (account, &error)) == NULL ||
      (folders = mail_store_list_folders (store, &error)) == NULL ||
      (results = mail_store_search (store, query, 0, limit > 0 ? (guint) limit : 0,
                                    &error)) == NULL)
    return fail ("search", error);

  for (guint i = 0; i < folders->len; i++)
    {
      MailFolderSummary *folder = g_ptr_array_index (folders, i);
      gint64 *key = g_new (gint64, 1);

      *key = mail_folder_summary_get_id (folder);
      g_hash_table_insert (folder_names, key, (gpointer) mail_folder_summary_get_name (folder));
    }

  for (guint i = 0; i < results->len; i++)
    {
      MailMessageSummary *message = g_ptr_array_index (results, i);
      gint64 folder_id = mail_message_summary_get_folder_id (message);
      const char *folder = g_hash_table_lookup (folder_names, &folder_id);

      if (json)
        {
          g_autoptr (JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          add_message (builder, message);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, mail_message_summary_get_id (message));
          add_string (builder, "folder", folder);
          add_string (builder, "source", "local");
          json_builder_end_object (builder);
          print_json_line (builder);
        }
      else
        {
          g_print ("[%s] ", _("local index"));
          print_message_line (message, folder);
        }
    }
  if (!json && results->len == 0)
    g_print ("%s\n", _("No message in the local index matches."));

  return MAIL_TOOL_EXIT_OK;
}

/* Actions ---------------------------------------------------------------------------- */

typedef enum
{
  ACTION_FLAGS,
  ACTION_MOVE,
  ACTION_DELETE,
} ActionKind;

/* Applies an action to the store (and queues it), then, unless @offline, replays the
 * queue on the server at once. */
static int
run_action (const char          *command,
            MailAccount         *account,
            gint64               id,
            ActionKind           kind,
            const char * const  *add,
            const char * const  *remove,
            const char          *folder,
            gboolean             offline)
{
  g_autofree char *dir = mail_account_dup_data_dir (account);
  g_autoptr (MailSyncEngine) engine = mail_sync_engine_new (account, dir);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL, NULL, FALSE, 0, FALSE };
  g_autoptr (GAsyncResult) result = NULL;

  mail_sync_engine_start (engine);
  switch (kind)
    {
    case ACTION_FLAGS:
      mail_sync_engine_set_flags_async (engine, &id, 1, add, remove, NULL, done_cb, &wait);
      break;
    case ACTION_MOVE:
      mail_sync_engine_move_async (engine, &id, 1, folder, NULL, done_cb, &wait);
      break;
    case ACTION_DELETE:
    default:
      mail_sync_engine_delete_async (engine, &id, 1, NULL, done_cb, &wait);
      break;
    }
  result = wait_run (&wait);
  mail_sync_engine_action_finish (engine, result, &wait.error);
  g_clear_object (&result);
  if (wait.error == NULL && !offline)
    {
      mail_sync_engine_replay_async (engine, NULL, done_cb, &wait);
      result = wait_run (&wait);
      mail_sync_engine_replay_finish (engine, result, &wait.error);
    }
  mail_sync_engine_stop (engine);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (wait.error != NULL)
    {
      g_autoptr (GError) failed = g_steal_pointer (&wait.error);

      return fail (command, failed);
    }
  if (offline)
    g_print (_("Done locally; queued for the next sync.\n"));
  else
    g_print (_("Done.\n"));

  return MAIL_TOOL_EXIT_OK;
}

int
mail_tool_flag (int    argc,
                char **argv)
{
  char *account_name = NULL;
  gboolean read = FALSE, unread = FALSE, star = FALSE, unstar = FALSE, offline = FALSE;
  char **add_flags = NULL;
  char **remove_flags = NULL;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("The account (its address)"),
      "ADDRESS" },
    { "read", 0, 0, G_OPTION_ARG_NONE, &read, N_("Mark as read"), NULL },
    { "unread", 0, 0, G_OPTION_ARG_NONE, &unread, N_("Mark as unread"), NULL },
    { "star", 0, 0, G_OPTION_ARG_NONE, &star, N_("Star (\\Flagged)"), NULL },
    { "unstar", 0, 0, G_OPTION_ARG_NONE, &unstar, N_("Unstar"), NULL },
    { "add", 0, 0, G_OPTION_ARG_STRING_ARRAY, &add_flags, N_("Set a flag or keyword"), "FLAG" },
    { "remove", 0, 0, G_OPTION_ARG_STRING_ARRAY, &remove_flags, N_("Clear a flag or keyword"),
      "FLAG" },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Only change the local store and queue the action for the next sync"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("MESSAGE"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailStore) store = NULL;
  g_autoptr (GPtrArray) add = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) remove = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *account_owned = NULL;
  g_auto (GStrv) add_owned = NULL;
  g_auto (GStrv) remove_owned = NULL;
  gint64 id;

  g_option_context_set_summary (context,
    _("Change a message’s flags, locally and on the server. MESSAGE is FOLDER:UID or a "
      "message id."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("mail-tool flag");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("flag", error->message);
  account_owned = account_name;
  add_owned = add_flags;
  remove_owned = remove_flags;
  if (argc != 2)
    return usage ("flag", _("name exactly one message"));

  if (read)
    g_ptr_array_add (add, g_strdup ("\\Seen"));
  if (unread)
    g_ptr_array_add (remove, g_strdup ("\\Seen"));
  if (star)
    g_ptr_array_add (add, g_strdup ("\\Flagged"));
  if (unstar)
    g_ptr_array_add (remove, g_strdup ("\\Flagged"));
  for (guint i = 0; add_flags != NULL && add_flags[i] != NULL; i++)
    g_ptr_array_add (add, g_strdup (add_flags[i]));
  for (guint i = 0; remove_flags != NULL && remove_flags[i] != NULL; i++)
    g_ptr_array_add (remove, g_strdup (remove_flags[i]));
  if (add->len == 0 && remove->len == 0)
    return usage ("flag", _("say what to change: --read, --unread, --star, --unstar, --add or --remove"));
  g_ptr_array_add (add, NULL);
  g_ptr_array_add (remove, NULL);

  if ((account = find_account (account_name, &error)) == NULL ||
      (store = open_store (account, &error)) == NULL ||
      !resolve_message (store, argv[1], &id, &error))
    return fail ("flag", error);
  g_clear_object (&store);

  return run_action ("flag", account, id, ACTION_FLAGS, (const char * const *) add->pdata,
                     (const char * const *) remove->pdata, NULL, offline);
}

static int
move_or_delete (const char *command,
                int         argc,
                char      **argv)
{
  char *account_name = NULL;
  gboolean offline = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("The account (its address)"),
      "ADDRESS" },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Only change the local store and queue the action for the next sync"), NULL },
    { NULL }
  };
  gboolean move = g_str_equal (command, "move");
  g_autoptr (GOptionContext) context = g_option_context_new (move ? _("MESSAGE FOLDER")
                                                                  : _("MESSAGE"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailStore) store = NULL;
  g_autofree char *account_owned = NULL;
  g_autofree char *prgname = g_strconcat ("mail-tool ", command, NULL);
  gint64 id;

  g_option_context_set_summary (context, move
    ? _("Move a message to another folder, locally and on the server.")
    : _("Delete a message: move it to the Trash, or remove it for good when it is there "
        "already or the account has no Trash."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname (prgname);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (command, error->message);
  account_owned = account_name;
  if (argc != (move ? 3 : 2))
    return usage (command, move ? _("name one message and one folder")
                                : _("name exactly one message"));

  if ((account = find_account (account_name, &error)) == NULL ||
      (store = open_store (account, &error)) == NULL ||
      !resolve_message (store, argv[1], &id, &error))
    return fail (command, error);
  if (move)
    {
      gint64 folder_id;

      if (!mail_store_lookup_folder (store, argv[2], &folder_id, &error))
        return fail (command, error);
    }
  g_clear_object (&store);

  return run_action (command, account, id, move ? ACTION_MOVE : ACTION_DELETE, NULL, NULL,
                     move ? argv[2] : NULL, offline);
}

int
mail_tool_move (int    argc,
                char **argv)
{
  return move_or_delete ("move", argc, argv);
}

int
mail_tool_delete (int    argc,
                  char **argv)
{
  return move_or_delete ("delete", argc, argv);
}

/* Quota ------------------------------------------------------------------------------ */

int
mail_tool_quota (int    argc,
                 char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("[ACCOUNT]"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailStore) store = NULL;
  g_autoptr (GPtrArray) quota = NULL;
  g_autoptr (MailSyncEngine) engine = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *dir = NULL;
  Wait wait = { 0 };
  g_autoptr (GAsyncResult) result = NULL;

  g_option_context_set_summary (context,
    _("Ask the server for the account’s quota (that of the Inbox), keep it, and print it."));
  g_set_prgname ("mail-tool quota");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("quota", error->message);
  if (argc > 2)
    return usage ("quota", _("name at most one account"));
  if ((account = find_account (argc == 2 ? argv[1] : NULL, &error)) == NULL)
    return fail ("quota", error);

  dir = mail_account_dup_data_dir (account);
  engine = mail_sync_engine_new (account, dir);
  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  mail_sync_engine_start (engine);
  mail_sync_engine_update_quota_async (engine, NULL, done_cb, &wait);
  result = wait_run (&wait);
  mail_sync_engine_update_quota_finish (engine, result, &wait.error);
  mail_sync_engine_stop (engine);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (g_error_matches (wait.error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_clear_error (&wait.error);
      g_print (_("The server has no quota.\n"));
      return MAIL_TOOL_EXIT_OK;
    }
  if (wait.error != NULL)
    {
      g_autoptr (GError) failed = g_steal_pointer (&wait.error);

      return fail ("quota", failed);
    }

  if ((store = open_store (account, &error)) == NULL ||
      (quota = mail_store_list_quota (store, &error)) == NULL)
    return fail ("quota", error);
  if (quota->len == 0)
    g_print (_("The server has no quota.\n"));
  for (guint i = 0; i < quota->len; i++)
    {
      MailStoreQuota *q = g_ptr_array_index (quota, i);
      gboolean storage = g_ascii_strcasecmp (q->resource, "STORAGE") == 0;
      double percent = q->limit > 0 ? 100.0 * (double) q->used / (double) q->limit : 0.0;

      g_print ("%s%s%s: %" G_GUINT64_FORMAT "%s of %" G_GUINT64_FORMAT "%s used (%.0f %%)%s\n",
               q->root, q->root[0] != '\0' ? " " : "", q->resource, q->used,
               storage ? " KiB" : "", q->limit, storage ? " KiB" : "", percent,
               q->limit > 0 && percent >= 90.0 ? _(", nearly full") : "");
    }

  return MAIL_TOOL_EXIT_OK;
}
