/* mail-tool-account.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* mail-tool account: add, list and remove accounts, with the same core, settings
 * directory and keyring as the app.
 *
 * `add --from-detect` runs exactly what `detect` runs (and so what the assistant runs) and
 * saves what it found once both servers accepted the password; `add --imap|--pop3 ...
 * --smtp ...` takes the settings as given and signs in to both servers (the server check)
 * before saving. Nothing is saved unless both sign-ins worked, and then the password goes
 * only to the keyring: when it cannot, nothing is saved at all.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "mail-account-manager.h"
#include "mail-autoconfig.h"
#include "mail-server-check.h"
#include "mail-tls-database.h"
#include "mail-tool.h"

/* Output ----------------------------------------------------------------------------- */

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_server (JsonBuilder             *builder,
            const char              *name,
            const MailAccountServer *server)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, mail_protocol_to_string (server->protocol));
  json_builder_set_member_name (builder, "host");
  json_builder_add_string_value (builder, server->host);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, server->port);
  json_builder_set_member_name (builder, "security");
  json_builder_add_string_value (builder, mail_security_to_string (server->security));
  add_optional_string (builder, "username", server->username);
  json_builder_set_member_name (builder, "auth");
  json_builder_add_string_value (builder, server->auth);
  json_builder_set_member_name (builder, "allow_plaintext_password");
  json_builder_add_boolean_value (builder, server->allow_plaintext_password);
  add_optional_string (builder, "pinned_fingerprint", server->pinned_fingerprint);
  add_optional_string (builder, "ca_file", server->ca_file);
  json_builder_end_object (builder);
}

/* One account as `list --json` and `add --json` print it: never a secret. */
static void
add_account (JsonBuilder *builder,
             MailAccount *account)
{
  const MailAccountServer *incoming = mail_account_get_server (account, MAIL_ACCOUNT_INCOMING);
  g_autofree char *settings = mail_account_dup_settings_path (account);
  g_autofree char *data_dir = mail_account_dup_data_dir (account);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, mail_account_get_id (account));
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, mail_account_get_address (account));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, mail_account_get_display_name (account));
  add_server (builder, "incoming", incoming);
  add_server (builder, "outgoing", mail_account_get_server (account, MAIL_ACCOUNT_OUTGOING));
  json_builder_set_member_name (builder, "sync_window_days");
  json_builder_add_int_value (builder, mail_account_get_sync_window_days (account));
  if (incoming->protocol == MAIL_PROTOCOL_POP3)
    {
      json_builder_set_member_name (builder, "pop3");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "leave_on_server");
      json_builder_add_boolean_value (builder, mail_account_get_pop3_leave_on_server (account));
      json_builder_set_member_name (builder, "delete_after_days");
      json_builder_add_int_value (builder, mail_account_get_pop3_delete_after_days (account));
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "settings_file");
  json_builder_add_string_value (builder, settings);
  json_builder_set_member_name (builder, "data_dir");
  json_builder_add_string_value (builder, data_dir);
  json_builder_end_object (builder);
}

static void
print_server (const char              *title,
              const MailAccountServer *server)
{
  g_autofree char *display = g_hostname_to_unicode (server->host);

  g_print ("  %-10s %s %s:%u, %s, user “%s”%s%s\n", title,
           mail_protocol_to_display_name (server->protocol),
           display != NULL ? display : server->host, server->port,
           mail_security_to_string (server->security),
           server->username != NULL ? server->username : "",
           server->pinned_fingerprint != NULL ? _(", trusted certificate ") : "",
           server->pinned_fingerprint != NULL ? server->pinned_fingerprint : "");
  if (server->ca_file != NULL)
    g_print ("  %-10s %s %s\n", "", _("extra certificate authorities:"), server->ca_file);
}

static void
print_account (MailAccount *account)
{
  const MailAccountServer *incoming = mail_account_get_server (account, MAIL_ACCOUNT_INCOMING);
  const char *name = mail_account_get_display_name (account);

  g_print ("%s%s%s%s\n", mail_account_get_address (account), name[0] != '\0' ? " (" : "", name,
           name[0] != '\0' ? ")" : "");
  g_print ("  %-10s %s\n", _("id"), mail_account_get_id (account));
  print_server (_("incoming"), incoming);
  print_server (_("outgoing"), mail_account_get_server (account, MAIL_ACCOUNT_OUTGOING));
  if (mail_account_get_sync_window_days (account) == 0)
    g_print ("  %-10s %s\n", "", _("the bodies of all mail are downloaded"));
  else
    {
      guint days = mail_account_get_sync_window_days (account);

      g_print ("  %-10s ", "");
      g_print (g_dngettext (NULL, "the bodies of the last %u day of mail are downloaded",
                            "the bodies of the last %u days of mail are downloaded", days), days);
      g_print ("\n");
    }
  if (incoming->protocol == MAIL_PROTOCOL_POP3)
    {
      guint days = mail_account_get_pop3_delete_after_days (account);

      g_print ("  %-10s ", "");
      if (!mail_account_get_pop3_leave_on_server (account))
        g_print ("%s", _("messages are deleted from the server once downloaded"));
      else if (days == 0)
        g_print ("%s", _("messages stay on the server"));
      else
        g_print (g_dngettext (NULL, "messages are deleted from the server %u day after the "
                              "download", "messages are deleted from the server %u days after "
                              "the download", days), days);
      g_print ("\n");
    }
}

/* Says why the command failed, in one line on standard error (and as JSON when asked):
 * "mail-tool account add: CATEGORY: message". */
static int
fail (const char *command,
      const char *category,
      const char *message,
      gboolean    json)
{
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, category);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      mail_tool_json_print (builder);
    }
  g_printerr ("mail-tool account %s: %s: %s\n", command, category, message);

  return MAIL_TOOL_EXIT_FAILED;
}

static int
fail_error (const char   *command,
            const GError *error,
            gboolean      json)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail (command, "cancelled", error->message, json);
      return MAIL_TOOL_EXIT_CANCELLED;
    }

  return fail (command, mail_account_error_category (error), error->message, json);
}

static int
usage (const char *command,
       const char *message)
{
  g_printerr ("mail-tool account %s: %s\n", command, message);

  return MAIL_TOOL_EXIT_USAGE;
}

static MailAccountManager *
load_accounts (GError **error)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();

  if (!mail_account_manager_load_sync (manager, NULL, error))
    return NULL;

  return g_steal_pointer (&manager);
}

/* Adding ----------------------------------------------------------------------------- */

/* Parses HOST, HOST:PORT or [ADDRESS]:PORT into the ASCII host name and the port (0 when
 * not given). */
static gboolean
parse_host_port (const char  *text,
                 char       **host,
                 guint16     *port)
{
  g_autofree char *name = NULL;
  const char *colon = NULL;
  guint64 number = 0;

  if (text == NULL || text[0] == '\0')
    return FALSE;

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        return FALSE;
      name = g_strndup (text + 1, end - text - 1);
      colon = end[1] == ':' ? end + 1 : NULL;
    }
  else
    {
      colon = strrchr (text, ':');
      /* An IPv6 address without brackets has no port. */
      if (colon != NULL && strchr (text, ':') != colon)
        colon = NULL;
      name = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
    }

  if (colon != NULL && (!g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &number,
                                                     NULL)))
    return FALSE;

  *host = g_hostname_to_ascii (name);
  *port = (guint16) number;

  return *host != NULL && (*host)[0] != '\0';
}

/* The candidates a detection chose, as an account's servers. */
static MailAccountServer *
server_from_candidate (const MailAutoconfigCandidate *candidate,
                       const char                    *ca_file)
{
  MailAccountServer *server = mail_account_server_new (candidate->protocol, candidate->host,
                                                       candidate->port, candidate->security);

  if (candidate->username != NULL && candidate->username[0] != '\0')
    server->username = g_strdup (candidate->username);
  /* Only saved after --approve when it is not encrypted (report_problem()), as the
   * assistant saves it after the approval that names the missing encryption. */
  server->allow_plaintext_password = candidate->security == MAIL_SECURITY_NONE;
  server->ca_file = g_strdup (ca_file);

  return server;
}

static MailAccount *
account_from_report (const MailAutoconfigReport *report,
                     const char                 *name,
                     const char                 *ca_file)
{
  const MailAutoconfigCandidate *incoming = g_ptr_array_index (report->incoming, 0);
  const MailAutoconfigCandidate *outgoing = g_ptr_array_index (report->outgoing, 0);
  g_autoptr (MailAccount) account = mail_account_new (report->address);
  g_autoptr (MailAccountServer) in = server_from_candidate (incoming, ca_file);
  g_autoptr (MailAccountServer) out = server_from_candidate (outgoing, ca_file);

  mail_account_set_display_name (account, name);
  mail_account_set_server (account, MAIL_ACCOUNT_INCOMING, in);
  mail_account_set_server (account, MAIL_ACCOUNT_OUTGOING, out);

  /* The provider's advice for POP3, as the assistant offers it: by default a copy stays
   * on the server, deleted after the advised days. */
  if (incoming->protocol == MAIL_PROTOCOL_POP3)
    {
      MailAutoconfigPop3Hints hints = { TRUE, TRUE, 14, 0 };

      if (incoming->has_pop3_hints)
        hints = incoming->pop3_hints;
      mail_account_set_pop3_leave_on_server (account, hints.leave_messages_on_server);
      mail_account_set_pop3_delete_after_days (account, hints.days_to_leave_messages_on_server);
    }

  return g_steal_pointer (&account);
}

/* Why a report cannot be saved, as "category" and a message; NULL when it can. */
static const char *
report_problem (const MailAutoconfigReport  *report,
                gboolean                     approve,
                char                       **message)
{
  const MailAutoconfigCandidate *incoming;
  const MailAutoconfigCandidate *outgoing;

  if (!mail_autoconfig_report_is_usable (report))
    {
      const GError *error = report->incoming_error != NULL ? report->incoming_error
                                                           : report->outgoing_error;
      MailErrorCategory category = report->incoming_error != NULL ? report->incoming_category
                                                                  : report->outgoing_category;

      *message = g_strdup (error != NULL ? error->message : _("No usable settings were found"));
      return mail_error_category_to_string (category != MAIL_ERROR_CATEGORY_NONE
                                              ? category : MAIL_ERROR_CATEGORY_NOT_FOUND);
    }

  incoming = g_ptr_array_index (report->incoming, 0);
  outgoing = g_ptr_array_index (report->outgoing, 0);
  if (incoming->verified && outgoing->verified)
    return NULL;

  if (mail_autoconfig_report_needs_approval (report) && !approve)
    {
      g_autofree char *domains = g_strjoinv (", ", incoming->trust != MAIL_AUTOCONFIG_TRUST_VERIFIED
                                                   ? incoming->domains : outgoing->domains);

      *message = g_strdup_printf (_("These settings were not published by the address’s own "
                                    "domain (domains involved: %s), so the password was not "
                                    "sent to them. If you trust them, run again with "
                                    "--approve."), domains);
      return "needs-approval";
    }

  *message = g_strdup_printf (_("The password could not be confirmed at %s and %s; an "
                                "unencrypted server is only added with manual settings and "
                                "--allow-plaintext"), incoming->host, outgoing->host);
  return "not-verified";
}

static gboolean
check_server (const MailAccountServer  *server,
              const char               *direction,
              const char               *password,
              GTlsDatabase             *database,
              guint                     timeout,
              char                    **category,
              char                    **message)
{
  MailServerCheckOptions options = {
    .user = server->username,
    .password = password,
    .database = database,
    .allow_plaintext_password = server->allow_plaintext_password,
    .timeout_seconds = timeout,
  };
  g_autoptr (MailServerCheckResult) result = NULL;

  result = mail_server_check_sync (server->protocol, server->host, server->port,
                                   server->security, &options, NULL);
  if (result->ok && (server->username == NULL || result->authenticated))
    return TRUE;

  *category = g_strdup (mail_error_category_to_string (result->category));
  *message = g_strdup_printf (_("%s %s:%u: %s"), direction, server->host, server->port,
                              result->message != NULL ? result->message : _("sign-in failed"));

  return FALSE;
}

typedef struct
{
  char                  *from_detect;
  char                  *imap;
  char                  *pop3;
  char                  *smtp;
  char                  *address;
  char                  *security_in;
  char                  *security_out;
  char                  *user;
  char                  *name;
  char                  *pop3_leave;
  int                    pop3_delete_after;
  int                    sync_window;
  gboolean               password_stdin;
  gboolean               allow_plaintext;
  gboolean               json;
  MailToolDetectOptions  detect;
} AddOptions;

static void
add_options_clear (AddOptions *o)
{
  g_free (o->from_detect);
  g_free (o->imap);
  g_free (o->pop3);
  g_free (o->smtp);
  g_free (o->address);
  g_free (o->security_in);
  g_free (o->security_out);
  g_free (o->user);
  g_free (o->name);
  g_free (o->pop3_leave);
  mail_tool_detect_options_clear (&o->detect);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AddOptions, add_options_clear)

/* The account of the manual options, or a usage message. */
static MailAccount *
account_from_options (const AddOptions  *o,
                      const char        *ca_file,
                      char             **problem)
{
  g_autoptr (MailAccount) account = mail_account_new (o->address);
  g_autoptr (MailAccountServer) in = NULL;
  g_autoptr (MailAccountServer) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *in_host = NULL;
  g_autofree char *out_host = NULL;
  MailSecurity in_security = MAIL_SECURITY_TLS;
  MailSecurity out_security = MAIL_SECURITY_TLS;
  guint16 in_port = 0;
  guint16 out_port = 0;

  if (!parse_host_port (o->imap != NULL ? o->imap : o->pop3, &in_host, &in_port) ||
      !parse_host_port (o->smtp, &out_host, &out_port))
    {
      *problem = g_strdup (_("a server is HOST, HOST:PORT or [ADDRESS]:PORT"));
      return NULL;
    }
  if ((o->security_in != NULL && !mail_security_from_string (o->security_in, &in_security)) ||
      (o->security_out != NULL && !mail_security_from_string (o->security_out, &out_security)))
    {
      *problem = g_strdup (_("--security-in and --security-out are tls, starttls or none"));
      return NULL;
    }
  if ((in_security == MAIL_SECURITY_NONE || out_security == MAIL_SECURITY_NONE) &&
      !o->allow_plaintext)
    {
      *problem = g_strdup (_("security “none” sends your password and mail unencrypted, "
                             "readable by anyone on the network: add --allow-plaintext if you "
                             "mean it"));
      return NULL;
    }

  in = mail_account_server_new (o->imap != NULL ? MAIL_PROTOCOL_IMAP : MAIL_PROTOCOL_POP3,
                                in_host, in_port, in_security);
  out = mail_account_server_new (MAIL_PROTOCOL_SMTP, out_host, out_port, out_security);
  for (guint i = 0; i < 2; i++)
    {
      MailAccountServer *server = i == 0 ? in : out;

      server->username = g_strdup (o->user != NULL ? o->user : o->address);
      server->allow_plaintext_password = server->security == MAIL_SECURITY_NONE;
      server->ca_file = g_strdup (ca_file);
    }

  mail_account_set_display_name (account, o->name);
  mail_account_set_server (account, MAIL_ACCOUNT_INCOMING, in);
  mail_account_set_server (account, MAIL_ACCOUNT_OUTGOING, out);
  mail_account_set_sync_window_days (account, (guint) o->sync_window);
  mail_account_set_pop3_leave_on_server (account, g_strcmp0 (o->pop3_leave, "no") != 0);
  mail_account_set_pop3_delete_after_days (account, (guint) o->pop3_delete_after);

  if (!mail_account_validate (account, &error))
    {
      *problem = g_strdup (error->message);
      return NULL;
    }

  return g_steal_pointer (&account);
}

static int
account_add (int    argc,
             char **argv)
{
  g_auto (AddOptions) o = { .sync_window = MAIL_ACCOUNT_DEFAULT_SYNC_WINDOW_DAYS };
  const GOptionEntry entries[] = {
    { "from-detect", 0, 0, G_OPTION_ARG_STRING, &o.from_detect,
      N_("Find the settings of ADDRESS as “mail-tool detect” does"), "ADDRESS" },
    { "imap", 0, 0, G_OPTION_ARG_STRING, &o.imap, N_("Incoming IMAP server"), "HOST[:PORT]" },
    { "pop3", 0, 0, G_OPTION_ARG_STRING, &o.pop3, N_("Incoming POP3 server"), "HOST[:PORT]" },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &o.smtp, N_("Outgoing SMTP server"), "HOST[:PORT]" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &o.address, N_("The email address"), "ADDRESS" },
    { "security-in", 0, 0, G_OPTION_ARG_STRING, &o.security_in,
      N_("Incoming: tls (default), starttls or none"), "MODE" },
    { "security-out", 0, 0, G_OPTION_ARG_STRING, &o.security_out,
      N_("Outgoing: tls (default), starttls or none"), "MODE" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o.user,
      N_("Sign in as USER (default: the address)"), "USER" },
    { "allow-plaintext", 0, 0, G_OPTION_ARG_NONE, &o.allow_plaintext,
      N_("Allow a server with security “none” (the password travels unencrypted)"), NULL },
    { "pop3-leave-on-server", 0, 0, G_OPTION_ARG_STRING, &o.pop3_leave,
      N_("POP3: keep downloaded messages on the server, yes (default) or no"), "yes|no" },
    { "pop3-delete-after", 0, 0, G_OPTION_ARG_INT, &o.pop3_delete_after,
      N_("POP3: delete them from the server DAYS after the download (0, the default: never)"),
      "DAYS" },
    { "sync-window", 0, 0, G_OPTION_ARG_INT, &o.sync_window,
      N_("Download the bodies of the last DAYS of mail (default 30; 0 for all)"), "DAYS" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.name, N_("Your name, as recipients see it"),
      "NAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &o.password_stdin,
      N_("Read the password from the first line of standard input (required)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print the account as one JSON object"),
      NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (MailAccountManager) manager = NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailAccount) added = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *category = NULL;
  char *password = NULL;
  const char *address;
  int status = MAIL_TOOL_EXIT_OK;

  g_option_context_set_summary (context,
    _("Add an account: either find its settings (--from-detect ADDRESS, as “mail-tool "
      "detect” does), or give them (--imap or --pop3, --smtp and --address). Both servers "
      "must accept the password before the account is saved; the password is kept only in "
      "the keyring."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  mail_tool_detect_add_options (context, &o.detect);
  g_set_prgname ("mail-tool account add");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("add", error->message);

  if (argc != 1)
    return usage ("add", _("unexpected arguments"));
  if ((o.from_detect != NULL) == (o.imap != NULL || o.pop3 != NULL))
    return usage ("add", _("give either --from-detect ADDRESS, or --imap or --pop3 with --smtp"));
  if (o.imap != NULL && o.pop3 != NULL)
    return usage ("add", _("give --imap or --pop3, not both"));
  if (o.from_detect == NULL && (o.smtp == NULL || o.address == NULL))
    return usage ("add", _("manual settings need --smtp and --address"));
  if (o.from_detect != NULL && (o.smtp != NULL || o.address != NULL || o.security_in != NULL ||
                                o.security_out != NULL || o.user != NULL))
    return usage ("add", _("--from-detect finds the servers itself: leave out --smtp, "
                           "--address, --security-in, --security-out and --user"));
  if (!o.password_stdin)
    return usage ("add", _("--password-stdin is required: the password is read from standard "
                           "input, never from the command line"));
  if (o.pop3_leave != NULL && !g_str_equal (o.pop3_leave, "yes") &&
      !g_str_equal (o.pop3_leave, "no"))
    return usage ("add", _("--pop3-leave-on-server is yes or no"));
  if (o.detect.timeout < 0 || o.detect.timeout > 600 || o.sync_window < 0 ||
      o.sync_window > MAIL_ACCOUNT_MAX_DAYS || o.pop3_delete_after < 0 ||
      o.pop3_delete_after > MAIL_ACCOUNT_MAX_DAYS)
    return usage ("add", _("--timeout, --sync-window or --pop3-delete-after is out of range"));

  /* The extra CA as an absolute path; the account keeps its own copy of it. */
  if (o.detect.ca_file != NULL)
    ca_file = g_canonicalize_filename (o.detect.ca_file, NULL);
  database = mail_tls_database_new (ca_file, &error);
  if (database == NULL)
    return usage ("add", error->message);

  address = o.from_detect != NULL ? o.from_detect : o.address;
  if (o.from_detect == NULL && (account = account_from_options (&o, ca_file, &problem)) == NULL)
    return usage ("add", problem);

  if ((manager = load_accounts (&error)) == NULL)
    return fail_error ("add", error, o.json);
  if (mail_account_manager_lookup_by_address (manager, address) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("An account for %s already exists."), address);

      return fail ("add", "exists", message, o.json);
    }

  if ((password = mail_tool_read_password (&error)) == NULL)
    return usage ("add", error->message);

  if (o.from_detect != NULL)
    {
      g_autoptr (MailAutoconfigReport) report = NULL;
      const char *report_category;

      report = mail_tool_detect_run (o.from_detect, password, database, &o.detect, TRUE, &error);
      if (report == NULL)
        {
          status = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                   ? fail_error ("add", error, o.json) : usage ("add", error->message);
          goto out;
        }
      if ((report_category = report_problem (report, o.detect.approve, &problem)) != NULL)
        {
          if (!o.json)
            mail_tool_detect_print_readable (report);
          status = fail ("add", report_category, problem, o.json);
          goto out;
        }
      account = account_from_report (report, o.name, ca_file);
    }
  else
    {
      /* The settings as given: both servers must accept the password first. */
      for (MailAccountDirection d = MAIL_ACCOUNT_INCOMING; d <= MAIL_ACCOUNT_OUTGOING; d++)
        if (!check_server (mail_account_get_server (account, d),
                           d == MAIL_ACCOUNT_INCOMING ? _("incoming server")
                                                      : _("outgoing server"),
                           password, database, (guint) o.detect.timeout, &category, &problem))
          {
            status = fail ("add", category, problem, o.json);
            goto out;
          }
    }

  added = mail_account_manager_add_sync (manager, account, password, NULL, NULL, &error);
  if (added == NULL)
    {
      status = fail_error ("add", error, o.json);
      goto out;
    }

  if (o.json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      add_account (builder, added);
      mail_tool_json_print (builder);
    }
  else
    {
      g_print (_("Added the account %s; its password is in the keyring.\n"),
               mail_account_get_address (added));
      print_account (added);
    }

out:
  mail_account_password_free (password);

  return status;
}

/* Listing and removing --------------------------------------------------------------- */

static int
account_list (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array of accounts"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (MailAccountManager) manager = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *accounts;
  guint n;

  g_option_context_set_summary (context, _("List the accounts, without their passwords."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("mail-tool account list");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("list", error->message);
  if (argc != 1)
    return usage ("list", _("unexpected arguments"));

  if ((manager = load_accounts (&error)) == NULL)
    return fail_error ("list", error, json);

  accounts = G_LIST_MODEL (manager);
  n = g_list_model_get_n_items (accounts);
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (MailAccount) account = g_list_model_get_item (accounts, i);

          add_account (builder, account);
        }
      json_builder_end_array (builder);
      mail_tool_json_print (builder);
    }
  else if (n == 0)
    g_print ("%s\n", _("No accounts."));
  else
    for (guint i = 0; i < n; i++)
      {
        g_autoptr (MailAccount) account = g_list_model_get_item (accounts, i);

        print_account (account);
      }

  return MAIL_TOOL_EXIT_OK;
}

static int
account_remove (int    argc,
                char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("ACCOUNT"));
  g_autoptr (MailAccountManager) manager = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *address = NULL;
  MailAccount *account;

  g_option_context_set_summary (context,
    _("Remove an account (named by its address or id): its password from the keyring, its "
      "settings, and everything Mail stored locally for it. Nothing on the server changes."));
  g_set_prgname ("mail-tool account remove");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage ("remove", error->message);
  if (argc != 2)
    return usage ("remove", _("name exactly one account, by its address or id"));

  if ((manager = load_accounts (&error)) == NULL)
    return fail_error ("remove", error, FALSE);

  account = mail_account_manager_find (manager, argv[1]);
  if (account == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is no account %s"), argv[1]);

      return fail ("remove", "not-found", message, FALSE);
    }

  address = g_strdup (mail_account_get_address (account));
  if (!mail_account_manager_remove_sync (manager, account, NULL, &error))
    return fail_error ("remove", error, FALSE);

  g_print (_("Removed the account %s.\n"), address);

  return MAIL_TOOL_EXIT_OK;
}

/* The subcommand --------------------------------------------------------------------- */

static const MailToolCommand account_commands[] = {
  { "add", N_("Add an account, once both of its servers accepted the password"), account_add },
  { "list", N_("List the accounts"), account_list },
  { "remove", N_("Remove an account, its password and its local data"), account_remove },
  { NULL, NULL, NULL },
};

static void
print_account_usage (FILE *stream)
{
  fprintf (stream, "%s\n", _("Usage: mail-tool account COMMAND [OPTIONS…]"));
  fprintf (stream, "\n%s\n", _("Commands:"));
  for (guint i = 0; account_commands[i].name != NULL; i++)
    fprintf (stream, "  %-8s %s\n", account_commands[i].name, _(account_commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “mail-tool account COMMAND --help” for a command’s options."));
}

int
mail_tool_account (int    argc,
                   char **argv)
{
  if (argc < 2)
    {
      print_account_usage (stderr);
      return MAIL_TOOL_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_account_usage (stdout);
      return MAIL_TOOL_EXIT_OK;
    }

  for (guint i = 0; account_commands[i].name != NULL; i++)
    if (g_str_equal (argv[1], account_commands[i].name))
      return account_commands[i].run (argc - 1, argv + 1);

  g_printerr (_("mail-tool account: unknown command “%s”\n"), argv[1]);
  print_account_usage (stderr);

  return MAIL_TOOL_EXIT_USAGE;
}
