/* mail-tool-detect.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* mail-tool detect: the account assistant's automatic setup, without a display. It runs
 * exactly the engine the assistant runs (MailAutoconfig) and prints what it found, where
 * from, how far it can be trusted, and every step it took.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "mail-autoconfig.h"
#include "mail-tls-database.h"
#include "mail-tool.h"

typedef struct
{
  GMainLoop            *loop;
  MailAutoconfigReport *report;
  GError               *error;
  gboolean              verbose;
} DetectRun;

static void
detect_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DetectRun *run = user_data;

  run->report = mail_autoconfig_detect_finish (MAIL_AUTOCONFIG (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
step_cb (MailAutoconfig     *autoconfig,
         MailAutoconfigStep *step,
         gpointer            user_data)
{
  g_printerr ("%6" G_GINT64_FORMAT " ms  %-11s %s: %s\n", step->at_ms,
              mail_autoconfig_source_to_string (step->source), step->target, step->outcome);
}

static gboolean
interrupt_cb (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));

  return G_SOURCE_CONTINUE;
}

static void
add_error (JsonBuilder       *builder,
           const char        *name,
           const GError      *error,
           MailErrorCategory  category)
{
  json_builder_set_member_name (builder, name);
  if (error == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, mail_error_category_to_string (category));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  json_builder_end_object (builder);
}

static void
add_candidates (JsonBuilder *builder,
                const char  *name,
                GPtrArray   *candidates)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < candidates->len; i++)
    {
      MailAutoconfigCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *display = g_hostname_to_unicode (candidate->host);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "protocol");
      json_builder_add_string_value (builder, mail_protocol_to_string (candidate->protocol));
      json_builder_set_member_name (builder, "host");
      json_builder_add_string_value (builder, candidate->host);
      if (display != NULL && strcmp (display, candidate->host) != 0)
        {
          json_builder_set_member_name (builder, "display_host");
          json_builder_add_string_value (builder, display);
        }
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, candidate->port);
      json_builder_set_member_name (builder, "security");
      json_builder_add_string_value (builder, mail_security_to_string (candidate->security));
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, candidate->username);
      mail_tool_json_add_strv (builder, "auth", candidate->auth);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, mail_autoconfig_source_to_string (candidate->source));
      json_builder_set_member_name (builder, "origin");
      json_builder_add_string_value (builder, candidate->origin);
      json_builder_set_member_name (builder, "trust");
      json_builder_add_string_value (builder, mail_autoconfig_trust_to_string (candidate->trust));
      mail_tool_json_add_strv (builder, "domains", candidate->domains);
      json_builder_set_member_name (builder, "verified");
      json_builder_add_boolean_value (builder, candidate->verified);
      if (candidate->has_pop3_hints)
        {
          json_builder_set_member_name (builder, "pop3");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "leave_messages_on_server");
          json_builder_add_boolean_value (builder, candidate->pop3_hints.leave_messages_on_server);
          json_builder_set_member_name (builder, "days_to_leave_messages_on_server");
          json_builder_add_int_value (builder, candidate->pop3_hints.days_to_leave_messages_on_server);
          json_builder_end_object (builder);
        }
      if (candidate->error_category != MAIL_ERROR_CATEGORY_NONE)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "category");
          json_builder_add_string_value (builder,
                                         mail_error_category_to_string (candidate->error_category));
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, candidate->error_message);
          json_builder_end_object (builder);
        }
      if (candidate->certificate != NULL)
        mail_tool_json_add_certificate (builder, candidate->certificate);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_json (const MailAutoconfigReport *report)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  const GError *first_error = report->incoming_error != NULL ? report->incoming_error
                                                              : report->outgoing_error;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, report->address);
  json_builder_set_member_name (builder, "usable");
  json_builder_add_boolean_value (builder, mail_autoconfig_report_is_usable (report));
  json_builder_set_member_name (builder, "needs_approval");
  json_builder_add_boolean_value (builder, mail_autoconfig_report_needs_approval (report));
  add_candidates (builder, "incoming", report->incoming);
  add_candidates (builder, "outgoing", report->outgoing);
  add_candidates (builder, "rejected", report->rejected);

  json_builder_set_member_name (builder, "instructions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->instructions->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (report->instructions, i));
  json_builder_end_array (builder);

  add_error (builder, "error", first_error,
             report->incoming_error != NULL ? report->incoming_category
                                            : report->outgoing_category);
  add_error (builder, "incoming_error", report->incoming_error, report->incoming_category);
  add_error (builder, "outgoing_error", report->outgoing_error, report->outgoing_category);

  json_builder_set_member_name (builder, "trace");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->trace->len; i++)
    {
      MailAutoconfigStep *step = g_ptr_array_index (report->trace, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, mail_autoconfig_source_to_string (step->source));
      json_builder_set_member_name (builder, "target");
      json_builder_add_string_value (builder, step->target);
      json_builder_set_member_name (builder, "outcome");
      json_builder_add_string_value (builder, step->outcome);
      json_builder_set_member_name (builder, "ms");
      json_builder_add_int_value (builder, step->ms);
      json_builder_set_member_name (builder, "at_ms");
      json_builder_add_int_value (builder, step->at_ms);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, report->elapsed_ms);
  json_builder_end_object (builder);

  mail_tool_json_print (builder);
}

/* The one object --json promises, when there is no report: a cancelled detection or an
 * address that is not one. */
static void
print_json_failure (const char   *address,
                    const GError *error,
                    gboolean      cancelled)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, address);
  json_builder_set_member_name (builder, "usable");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, cancelled ? "cancelled" : "invalid-address");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  mail_tool_json_print (builder);
}

static const char *
describe_source (MailAutoconfigSource source)
{
  switch (source)
    {
    case MAIL_AUTOCONFIG_SOURCE_LOCAL:
      return _("a provider file on this computer");
    case MAIL_AUTOCONFIG_SOURCE_HTTPS:
      return _("the provider’s own settings file");
    case MAIL_AUTOCONFIG_SOURCE_ISPDB:
      return _("the Thunderbird provider database");
    case MAIL_AUTOCONFIG_SOURCE_MX:
      return _("the settings of the domain that receives this domain’s mail");
    case MAIL_AUTOCONFIG_SOURCE_SRV:
      return _("the domain’s DNS service records");
    case MAIL_AUTOCONFIG_SOURCE_HTTP:
      return _("an unencrypted settings file");
    case MAIL_AUTOCONFIG_SOURCE_GUESS:
      return _("trying common server names");
    case MAIL_AUTOCONFIG_SOURCE_CERTIFICATE:
      return _("the name in the server’s certificate");
    case MAIL_AUTOCONFIG_N_SOURCES:
    default:
      return "?";
    }
}

static void
print_candidates (const char *title,
                  GPtrArray  *candidates)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      MailAutoconfigCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *display = g_hostname_to_unicode (candidate->host);
      g_autofree char *auth = g_strjoinv (" ", candidate->auth);
      g_autofree char *domains = g_strjoinv (", ", candidate->domains);

      g_print ("%-10s %s %s:%u, %s, user “%s”%s%s\n", i == 0 ? title : "",
               mail_protocol_to_string (candidate->protocol),
               display != NULL ? display : candidate->host, candidate->port,
               mail_security_to_string (candidate->security),
               candidate->username != NULL ? candidate->username : "",
               *auth != '\0' ? ", sign-in " : "", auth);
      g_print ("%-10s   %s: %s, %s%s\n", "", _("from"), describe_source (candidate->source),
               mail_autoconfig_trust_to_string (candidate->trust),
               candidate->verified ? _(", password confirmed") : "");
      if (candidate->trust != MAIL_AUTOCONFIG_TRUST_VERIFIED)
        g_print ("%-10s   %s %s\n", "", _("needs your approval; domains involved:"), domains);
      if (candidate->security == MAIL_SECURITY_NONE)
        g_print ("%-10s   %s\n", "", _("WARNING: not encrypted; the password would be readable "
                                      "by anyone on the network"));
    }
}

void
mail_tool_detect_print_readable (const MailAutoconfigReport *report)
{
  g_print (_("Settings for %s\n"), report->address);
  print_candidates (_("Incoming:"), report->incoming);
  print_candidates (_("Outgoing:"), report->outgoing);
  for (guint i = 0; i < report->instructions->len; i++)
    g_print ("%-10s %s\n", i == 0 ? _("Provider:") : "",
             (char *) g_ptr_array_index (report->instructions, i));
  if (report->incoming_error != NULL)
    g_print (_("Problem:   incoming (%s): %s\n"),
             mail_error_category_to_string (report->incoming_category),
             report->incoming_error->message);
  if (report->outgoing_error != NULL)
    g_print (_("Problem:   outgoing (%s): %s\n"),
             mail_error_category_to_string (report->outgoing_category),
             report->outgoing_error->message);

  for (guint i = 0; i < report->rejected->len; i++)
    {
      MailAutoconfigCandidate *candidate = g_ptr_array_index (report->rejected, i);

      g_print ("%-10s %s %s:%u (%s, %s): %s\n", i == 0 ? _("Rejected:") : "",
               mail_protocol_to_string (candidate->protocol), candidate->host, candidate->port,
               mail_security_to_string (candidate->security),
               mail_error_category_to_string (candidate->error_category),
               candidate->error_message != NULL ? candidate->error_message : "");
      if (candidate->certificate != NULL)
        g_print ("%-10s   %s %s\n", "", _("certificate SHA-256"),
                 mail_certificate_info_get_fingerprint (candidate->certificate));
    }

  g_print ("\n%s\n", _("Steps:"));
  for (guint i = 0; i < report->trace->len; i++)
    {
      MailAutoconfigStep *step = g_ptr_array_index (report->trace, i);

      g_print ("%6" G_GINT64_FORMAT " ms  %-11s %s: %s\n", step->at_ms,
               mail_autoconfig_source_to_string (step->source), step->target, step->outcome);
    }
  g_print (_("Finished in %" G_GINT64_FORMAT " ms.\n"), report->elapsed_ms);
}

/**
 * mail_tool_detect_add_options:
 * @context: a subcommand's option context
 * @options: where the options land
 *
 * The options of the detection itself, shared by `detect` and `account add
 * --from-detect`: --approve, --timeout, --ca-file, --ispdb-url, --providers-dir and
 * --verbose.
 */
void
mail_tool_detect_add_options (GOptionContext        *context,
                              MailToolDetectOptions *options)
{
  const GOptionEntry entries[] = {
    { "approve", 0, 0, G_OPTION_ARG_NONE, &options->approve,
      N_("Approve settings that are not verified (from the ISPDB, DNS or plain HTTP), so "
         "that they are signed in to as well"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &options->timeout,
      N_("Give up after SECONDS (default 15)"), "SECONDS" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &options->ca_file,
      N_("Also trust the certificate authorities in FILE"), "FILE" },
    { "ispdb-url", 0, 0, G_OPTION_ARG_STRING, &options->ispdb_url,
      N_("The provider database's base URL (\"\" for none)"), "URL" },
    { "providers-dir", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->providers_dirs,
      N_("Look for DOMAIN.xml provider files in DIR (may repeat; replaces the defaults)"), "DIR" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options->verbose,
      N_("Print each step on standard error as it ends"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

void
mail_tool_detect_options_clear (MailToolDetectOptions *options)
{
  g_clear_pointer (&options->ca_file, g_free);
  g_clear_pointer (&options->ispdb_url, g_free);
  g_clear_pointer (&options->providers_dirs, g_strfreev);
}

/**
 * mail_tool_detect_run:
 * @address: the address to detect the settings of
 * @password: (nullable): the password to sign in with, or %NULL to only look
 * @database: the trust store (the system's plus --ca-file)
 * @options: the detection's options
 * @verify: whether to sign in (with @password)
 * @error: return location for a cancellation (Ctrl-C) or an address that is not one
 *
 * Runs exactly the assistant's automatic setup (MailAutoconfig) on a main loop, with
 * Ctrl-C cancelling it.
 *
 * Returns: (transfer full) (nullable): what the detection found
 */
MailAutoconfigReport *
mail_tool_detect_run (const char                  *address,
                      const char                  *password,
                      GTlsDatabase                *database,
                      const MailToolDetectOptions *options,
                      gboolean                     verify,
                      GError                     **error)
{
  g_autoptr (MailAutoconfig) autoconfig = mail_autoconfig_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  DetectRun run = { NULL };
  guint sigint, sigterm;

  mail_autoconfig_set_tls_database (autoconfig, database);
  if (options->ispdb_url != NULL)
    mail_autoconfig_set_ispdb_url (autoconfig, options->ispdb_url);
  if (options->providers_dirs != NULL)
    mail_autoconfig_set_local_dirs (autoconfig, (const char * const *) options->providers_dirs);
  mail_autoconfig_set_budget (autoconfig, (guint) options->timeout);
  mail_autoconfig_set_verify (autoconfig, verify);
  mail_autoconfig_set_approved (autoconfig, options->approve);
  if (options->verbose)
    g_signal_connect (autoconfig, "step", G_CALLBACK (step_cb), NULL);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.verbose = options->verbose;
  sigint = g_unix_signal_add (SIGINT, interrupt_cb, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, interrupt_cb, cancellable);
  mail_autoconfig_detect_async (autoconfig, address, password, cancellable, detect_done_cb, &run);
  g_main_loop_run (run.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_main_loop_unref (run.loop);

  if (run.report == NULL)
    g_propagate_error (error, run.error);

  return run.report;
}

int
mail_tool_detect (int    argc,
                  char **argv)
{
  g_autofree char *password = NULL;
  gboolean password_stdin = FALSE;
  gboolean no_verify = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from the first line of standard input, and sign in with it"), NULL },
    { "no-verify", 0, 0, G_OPTION_ARG_NONE, &no_verify,
      N_("Do not sign in, even with a password"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("ADDRESS"));
  g_auto (MailToolDetectOptions) options = { NULL };
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (MailAutoconfigReport) report = NULL;
  g_autoptr (GError) error = NULL;

  g_option_context_set_summary (context, _("Find the incoming and outgoing server settings for "
                                           "an email address, and check them by signing in."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  mail_tool_detect_add_options (context, &options);
  g_set_prgname ("mail-tool detect");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("mail-tool detect: %s\n", error->message);
      return MAIL_TOOL_EXIT_USAGE;
    }
  if (argc != 2)
    {
      g_printerr ("%s\n", _("mail-tool detect: give exactly one email address"));
      return MAIL_TOOL_EXIT_USAGE;
    }
  if (options.timeout < 0 || options.timeout > 600)
    {
      g_printerr ("%s\n", _("mail-tool detect: --timeout is out of range"));
      return MAIL_TOOL_EXIT_USAGE;
    }
  if (password_stdin && (password = mail_tool_read_password (&error)) == NULL)
    {
      g_printerr ("mail-tool detect: %s\n", error->message);
      return MAIL_TOOL_EXIT_USAGE;
    }

  database = mail_tls_database_new (options.ca_file, &error);
  if (database == NULL)
    {
      g_printerr ("mail-tool detect: %s\n", error->message);
      return MAIL_TOOL_EXIT_USAGE;
    }

  report = mail_tool_detect_run (argv[1], password, database, &options, !no_verify, &error);

  if (password != NULL)
    memset (password, 0, strlen (password));

  if (report == NULL)
    {
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      if (json)
        print_json_failure (argv[1], error, cancelled);
      g_printerr ("mail-tool detect: %s\n", error->message);
      return cancelled ? MAIL_TOOL_EXIT_CANCELLED : MAIL_TOOL_EXIT_USAGE;
    }

  if (json)
    print_json (report);
  else
    mail_tool_detect_print_readable (report);

  return mail_autoconfig_report_is_usable (report) ? MAIL_TOOL_EXIT_OK : MAIL_TOOL_EXIT_FAILED;
}
