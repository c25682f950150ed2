/* mail-tool-check.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* mail-tool check: connect to one server, secure the connection, show what it offers and
 * sign in. The same core call as the account assistant's "Test settings".
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "mail-server-check.h"
#include "mail-tls-database.h"
#include "mail-tool.h"

static void
print_json (const MailServerCheckResult *result)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, result->ok);
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, mail_protocol_to_string (result->protocol));
  json_builder_set_member_name (builder, "host");
  json_builder_add_string_value (builder, result->host);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, result->port);
  json_builder_set_member_name (builder, "security");
  json_builder_add_string_value (builder, mail_security_to_string (result->security));
  json_builder_set_member_name (builder, "authenticated");
  json_builder_add_boolean_value (builder, result->authenticated);
  json_builder_set_member_name (builder, "tls_version");
  if (result->tls_version != NULL)
    json_builder_add_string_value (builder, result->tls_version);
  else
    json_builder_add_null_value (builder);
  mail_tool_json_add_strv (builder, "capabilities", result->capabilities);
  mail_tool_json_add_strv (builder, "auth_mechanisms", result->auth_mechanisms);

  json_builder_set_member_name (builder, "error");
  if (result->ok)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, mail_error_category_to_string (result->category));
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, result->message);
      json_builder_end_object (builder);
    }

  if (result->certificate != NULL)
    mail_tool_json_add_certificate (builder, result->certificate);

  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, result->elapsed_ms);
  json_builder_end_object (builder);

  mail_tool_json_print (builder);
}

static void
print_readable (const MailServerCheckResult *result,
                gboolean                     verbose)
{
  g_autofree char *capabilities = g_strjoinv (" ", result->capabilities != NULL ?
                                                   result->capabilities : (char *[]) { NULL });
  g_autofree char *mechanisms = g_strjoinv (" ", result->auth_mechanisms != NULL ?
                                                 result->auth_mechanisms : (char *[]) { NULL });

  g_print (_("Server:          %s:%u (%s, %s)\n"), result->host, result->port,
           mail_protocol_to_string (result->protocol), mail_security_to_string (result->security));
  if (result->tls_version != NULL)
    g_print (_("Encryption:      %s\n"), result->tls_version);
  if (result->certificate != NULL && result->category == MAIL_ERROR_CATEGORY_TLS_CERTIFICATE)
    {
      g_autofree char *description = mail_certificate_info_describe (result->certificate);

      g_print (_("Certificate:     %s\n"), description);
    }
  else if (result->certificate != NULL)
    {
      GDateTime *not_after = mail_certificate_info_get_not_after (result->certificate);
      g_autofree char *until = not_after != NULL ? g_date_time_format (not_after, "%F") : NULL;

      g_print (_("Certificate:     %s, issued by %s, valid until %s\n"),
               mail_certificate_info_get_subject (result->certificate),
               mail_certificate_info_get_issuer (result->certificate),
               until != NULL ? until : "?");
      g_print (_("                 SHA-256 %s\n"),
               mail_certificate_info_get_fingerprint (result->certificate));
    }
  if (result->capabilities != NULL)
    g_print (_("Capabilities:    %s\n"), capabilities);
  if (result->auth_mechanisms != NULL)
    g_print (_("Sign-in methods: %s\n"), mechanisms[0] != '\0' ? mechanisms : _("(none offered)"));

  if (result->ok)
    g_print (_("Result:          %s\n"),
             result->authenticated ? _("OK, signed in") : _("OK (no sign-in attempted)"));
  else
    g_print (_("Result:          failed (%s): %s\n"),
             mail_error_category_to_string (result->category), result->message);

  if (verbose && result->log != NULL)
    g_print ("\n%s\n%s", _("Protocol log (passwords removed):"), result->log);
}

int
mail_tool_check (int    argc,
                 char **argv)
{
  g_autofree char *protocol_name = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security_name = NULL;
  g_autofree char *user = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *password = NULL;
  gboolean password_stdin = FALSE;
  gboolean json = FALSE;
  gboolean verbose = FALSE;
  gboolean allow_plaintext = FALSE;
  int port = 0;
  int timeout = 0;
  const GOptionEntry entries[] = {
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol_name, N_("imap, pop3 or smtp"), "PROTO" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("Server host name"), "HOST" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port (default: the standard one)"), "PORT" },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_name,
      N_("tls (default), starttls or none"), "MODE" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Sign in as USER"), "USER" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from the first line of standard input"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Also trust the certificate authorities in FILE"), "FILE" },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin,
      N_("Accept exactly the certificate with this SHA-256 fingerprint"), "SHA256" },
    { "allow-plaintext-password", 0, 0, G_OPTION_ARG_NONE, &allow_plaintext,
      N_("Allow sending the password unencrypted (with --security none)"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds per step"), "SECONDS" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Also print the protocol log"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (MailServerCheckResult) result = NULL;
  g_autoptr (GError) error = NULL;
  MailServerCheckOptions options = { NULL };
  MailProtocol protocol;
  MailSecurity security = MAIL_SECURITY_TLS;

  g_option_context_set_summary (context, _("Connect to a mail server, secure the connection, "
                                           "show what it offers and sign in."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("mail-tool check");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("mail-tool check: %s\n", error->message);
      return MAIL_TOOL_EXIT_USAGE;
    }

  if (protocol_name == NULL || !mail_protocol_from_string (protocol_name, &protocol))
    {
      g_printerr ("%s\n", _("mail-tool check: --protocol must be imap, pop3 or smtp"));
      return MAIL_TOOL_EXIT_USAGE;
    }
  if (host == NULL || host[0] == '\0')
    {
      g_printerr ("%s\n", _("mail-tool check: --host is required"));
      return MAIL_TOOL_EXIT_USAGE;
    }
  if (security_name != NULL && !mail_security_from_string (security_name, &security))
    {
      g_printerr ("%s\n", _("mail-tool check: --security must be tls, starttls or none"));
      return MAIL_TOOL_EXIT_USAGE;
    }
  if (port < 0 || port > G_MAXUINT16 || timeout < 0)
    {
      g_printerr ("%s\n", _("mail-tool check: --port or --timeout is out of range"));
      return MAIL_TOOL_EXIT_USAGE;
    }
  if (password_stdin && user == NULL)
    {
      g_printerr ("%s\n", _("mail-tool check: --password-stdin needs --user"));
      return MAIL_TOOL_EXIT_USAGE;
    }

  if (password_stdin && (password = mail_tool_read_password (&error)) == NULL)
    {
      g_printerr ("mail-tool check: %s\n", error->message);
      return MAIL_TOOL_EXIT_USAGE;
    }

  database = mail_tls_database_new (ca_file, &error);
  if (database == NULL)
    {
      g_printerr ("mail-tool check: %s\n", error->message);
      return MAIL_TOOL_EXIT_USAGE;
    }

  options.user = user;
  options.password = password;
  options.database = database;
  options.pinned_fingerprint = pin;
  options.allow_plaintext_password = allow_plaintext;
  options.timeout_seconds = (guint) timeout;

  result = mail_server_check_sync (protocol, host, (guint16) port, security, &options, NULL);

  if (password != NULL)
    memset (password, 0, strlen (password));

  if (json)
    print_json (result);
  else
    print_readable (result, verbose);

  return result->ok ? MAIL_TOOL_EXIT_OK : MAIL_TOOL_EXIT_FAILED;
}
