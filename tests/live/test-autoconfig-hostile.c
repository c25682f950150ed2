/* test-autoconfig-hostile.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The detection engine against scripted servers in the test process, for what the
 * harness's real servers cannot do: a provider that wants an app password, a submission
 * server with no mechanism for a password, STARTTLS stripped or followed by injected
 * bytes, servers that accept and never answer (Cancel must close every socket at once),
 * and a provider file naming two hundred servers.
 *
 * A local provider file for fake.test points the engine at the fake servers on 127.0.0.1;
 * inside the harness every other source for fake.test gets NXDOMAIN at once.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mail-autoconfig.h"
#include "mail-fake-server.h"
#include "mail-test-certs.h"
#include "mail-tls-database.h"

#define ADDRESS  "alice@fake.test"
#define PASSWORD "hostile-Pa55word"
#define APP_PASSWORD_ALERT \
  "[ALERT] Application-specific password required: https://support.example/apppass"

static MailTestCerts *certs;

/* Detection plumbing ------------------------------------------------------------------ */

typedef struct
{
  GMainLoop            *loop;
  MailAutoconfigReport *report;
  GError               *error;
  gint64                finished;
} Wait;

static void
detect_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->report = mail_autoconfig_detect_finish (MAIL_AUTOCONFIG (object), result, &wait->error);
  wait->finished = g_get_monotonic_time ();
  g_main_loop_quit (wait->loop);
}

typedef struct
{
  char *dir;
  char *path;
} Providers;

static void
providers_free (Providers *providers)
{
  g_unlink (providers->path);
  g_rmdir (providers->dir);
  g_free (providers->path);
  g_free (providers->dir);
  g_free (providers);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Providers, providers_free)

/* A provider directory holding fake.test.xml with @servers inside <emailProvider>. */
static Providers *
providers_new (const char *servers)
{
  Providers *providers = g_new0 (Providers, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = NULL;

  providers->dir = g_dir_make_tmp ("mail-hostile-providers-XXXXXX", &error);
  g_assert_no_error (error);
  providers->path = g_build_filename (providers->dir, "fake.test.xml", NULL);
  xml = g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                         "<clientConfig version=\"1.1\"><emailProvider id=\"fake.test\">\n"
                         "<domain>fake.test</domain>\n%s</emailProvider></clientConfig>\n",
                         servers);
  g_file_set_contents (providers->path, xml, -1, &error);
  g_assert_no_error (error);

  return providers;
}

static char *
server_xml (const char *direction,
            const char *type,
            guint16     port,
            const char *socket_type)
{
  return g_strdup_printf ("<%sServer type=\"%s\"><hostname>127.0.0.1</hostname>"
                          "<port>%u</port><socketType>%s</socketType>"
                          "<username>%%EMAILADDRESS%%</username>"
                          "<authentication>password-cleartext</authentication></%sServer>\n",
                          direction, type, port, socket_type, direction);
}

static char *
two_servers_xml (guint16     imap_port,
                 const char *imap_socket_type,
                 guint16     smtp_port,
                 const char *smtp_socket_type)
{
  g_autofree char *imap = server_xml ("incoming", "imap", imap_port, imap_socket_type);
  g_autofree char *smtp = server_xml ("outgoing", "smtp", smtp_port, smtp_socket_type);

  return g_strconcat (imap, smtp, NULL);
}

static MailAutoconfig *
new_autoconfig (Providers *providers)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsDatabase) database = mail_tls_database_new (certs->ca_file, &error);
  MailAutoconfig *autoconfig = mail_autoconfig_new ();
  const char *dirs[] = { providers->dir, NULL };

  g_assert_no_error (error);
  mail_autoconfig_set_tls_database (autoconfig, database);
  mail_autoconfig_set_ispdb_url (autoconfig, "");
  mail_autoconfig_set_local_dirs (autoconfig, dirs);

  return autoconfig;
}

static void
run_detect (MailAutoconfig *autoconfig,
            const char     *password,
            GCancellable   *cancellable,
            Wait           *wait)
{
  wait->loop = g_main_loop_new (NULL, FALSE);
  mail_autoconfig_detect_async (autoconfig, ADDRESS, password, cancellable, detect_done_cb,
                                wait);
  g_main_loop_run (wait->loop);
  g_main_loop_unref (wait->loop);
}

static void
print_trace (const MailAutoconfigReport *report)
{
  for (guint i = 0; i < report->trace->len; i++)
    {
      const MailAutoconfigStep *step = g_ptr_array_index (report->trace, i);

      g_test_message ("[%s] %s: %s", mail_autoconfig_source_to_string (step->source),
                      step->target, step->outcome);
    }
}

static const MailAutoconfigCandidate *
find_rejected (const MailAutoconfigReport *report,
               MailProtocol                protocol,
               guint16                     port,
               MailSecurity                security)
{
  for (guint i = 0; i < report->rejected->len; i++)
    {
      const MailAutoconfigCandidate *candidate = g_ptr_array_index (report->rejected, i);

      if (candidate->protocol == protocol && candidate->port == port &&
          candidate->security == security)
        return candidate;
    }

  return NULL;
}

/* How many transcript lines start a sign-in. */
static guint
count_sign_ins (MailFakeServer *server)
{
  g_autofree char *transcript = mail_fake_server_dup_transcript (server);
  g_auto (GStrv) lines = g_strsplit (transcript, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *upper = g_ascii_strup (lines[i], -1);
      const char *space = strchr (upper, ' ');

      /* IMAP: "TAG LOGIN ..." or "TAG AUTHENTICATE ..."; SMTP/POP3: "AUTH ...", "USER". */
      if (space != NULL && (g_str_has_prefix (space + 1, "LOGIN ") ||
                            g_str_has_prefix (space + 1, "AUTHENTICATE ")))
        n++;
      else if (g_str_has_prefix (upper, "AUTH ") || g_str_has_prefix (upper, "USER "))
        n++;
    }

  return n;
}

/* Fake servers ------------------------------------------------------------------------ */

typedef enum
{
  IMAP_ACCEPT,                /* signs in */
  IMAP_APP_PASSWORD_LOGIN,    /* no AUTH=: LOGIN, refused with the alert */
  IMAP_APP_PASSWORD_SASL,     /* AUTH=PLAIN: AUTHENTICATE, refused with the alert */
  IMAP_NO_STARTTLS,           /* plaintext port that does not offer STARTTLS */
  IMAP_STARTTLS_INJECTION,    /* offers STARTTLS, injects bytes after its OK */
  IMAP_SILENT_SIGN_IN,        /* answers the probe, never answers a sign-in */
  IMAP_DROP_SIGN_IN,          /* answers the probe, hangs up on a sign-in */
} ImapBehaviour;

static const char *
imap_capabilities (ImapBehaviour behaviour,
                   gboolean      tls)
{
  switch (behaviour)
    {
    case IMAP_APP_PASSWORD_LOGIN:
      return "IMAP4rev1 ID";
    case IMAP_NO_STARTTLS:
      return "IMAP4rev1 AUTH=PLAIN";
    case IMAP_STARTTLS_INJECTION:
      return tls ? "IMAP4rev1 AUTH=PLAIN" : "IMAP4rev1 STARTTLS LOGINDISABLED";
    case IMAP_ACCEPT:
    case IMAP_APP_PASSWORD_SASL:
    default:
      return "IMAP4rev1 AUTH=PLAIN";
    }
}

static MailFakeServerAction
imap_respond (guint        connection,
              gboolean     tls,
              const char  *line,
              char       **state,
              GString     *reply,
              gpointer     user_data)
{
  ImapBehaviour behaviour = GPOINTER_TO_INT (user_data);
  gboolean refuse = behaviour == IMAP_APP_PASSWORD_LOGIN || behaviour == IMAP_APP_PASSWORD_SASL;
  g_auto (GStrv) words = NULL;
  g_autofree char *command = NULL;
  const char *tag;

  if (line == NULL)
    {
      /* The probe waits until every server ranked below has been probed (see
       * run_fallback()). */
      if (behaviour == IMAP_DROP_SIGN_IN && connection == 0)
        g_usleep (500 * G_TIME_SPAN_MILLISECOND);
      g_string_append_printf (reply, "* OK [CAPABILITY %s] fake IMAP ready\r\n",
                              imap_capabilities (behaviour, tls));
      return MAIL_FAKE_SERVER_REPLY;
    }

  /* The SASL response to a pending AUTHENTICATE, whose tag is the state. */
  if (*state != NULL)
    {
      g_autofree char *pending = g_steal_pointer (state);

      if (refuse)
        g_string_append_printf (reply, "%s NO %s\r\n", pending, APP_PASSWORD_ALERT);
      else
        g_string_append_printf (reply, "%s OK signed in\r\n", pending);
      return MAIL_FAKE_SERVER_REPLY;
    }

  words = g_strsplit (line, " ", 3);
  if (words[0] == NULL || words[1] == NULL)
    {
      g_string_append (reply, "* BAD what\r\n");
      return MAIL_FAKE_SERVER_REPLY;
    }
  tag = words[0];
  command = g_ascii_strup (words[1], -1);

  if (g_str_equal (command, "CAPABILITY"))
    g_string_append_printf (reply, "* CAPABILITY %s\r\n%s OK done\r\n",
                            imap_capabilities (behaviour, tls), tag);
  else if (g_str_equal (command, "LOGOUT"))
    {
      g_string_append_printf (reply, "* BYE see you\r\n%s OK done\r\n", tag);
      return MAIL_FAKE_SERVER_REPLY_CLOSE;
    }
  else if (g_str_equal (command, "NOOP") || g_str_equal (command, "ID"))
    g_string_append_printf (reply, "%s OK done\r\n", tag);
  else if (g_str_equal (command, "STARTTLS") && behaviour == IMAP_STARTTLS_INJECTION && !tls)
    {
      /* What a man in the middle would slip in before the handshake. */
      g_string_append_printf (reply, "%s OK begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n",
                              tag);
      return MAIL_FAKE_SERVER_REPLY_STARTTLS;
    }
  else if (behaviour == IMAP_SILENT_SIGN_IN &&
           (g_str_equal (command, "LOGIN") || g_str_equal (command, "AUTHENTICATE")))
    {
      /* Say nothing: the client is left waiting. */
    }
  else if (behaviour == IMAP_DROP_SIGN_IN &&
           (g_str_equal (command, "LOGIN") || g_str_equal (command, "AUTHENTICATE")))
    {
      /* What someone on the path does to the real server's sign-in. */
      return MAIL_FAKE_SERVER_REPLY_CLOSE;
    }
  else if (g_str_equal (command, "LOGIN"))
    {
      if (refuse)
        g_string_append_printf (reply, "%s NO %s\r\n", tag, APP_PASSWORD_ALERT);
      else
        g_string_append_printf (reply, "%s OK signed in\r\n", tag);
    }
  else if (g_str_equal (command, "AUTHENTICATE"))
    {
      /* With an initial response ("AUTHENTICATE PLAIN xyz") the answer comes at once. */
      if (words[2] != NULL && strchr (words[2], ' ') != NULL)
        g_string_append_printf (reply, "%s %s\r\n", tag,
                                refuse ? "NO " APP_PASSWORD_ALERT : "OK signed in");
      else
        {
          g_string_append (reply, "+ \r\n");
          *state = g_strdup (tag);
        }
    }
  else
    g_string_append_printf (reply, "%s BAD unknown command\r\n", tag);

  return MAIL_FAKE_SERVER_REPLY;
}

typedef enum
{
  SMTP_ACCEPT,             /* AUTH PLAIN LOGIN, signs in */
  SMTP_NO_PASSWORD_SASL,   /* AUTH XOAUTH2 GSSAPI only */
  SMTP_NO_STARTTLS,        /* plaintext port that does not offer STARTTLS */
  SMTP_STARTTLS_INJECTION, /* offers STARTTLS, injects a reply after its 220 */
} SmtpBehaviour;

static MailFakeServerAction
smtp_respond (guint        connection,
              gboolean     tls,
              const char  *line,
              char       **state,
              GString     *reply,
              gpointer     user_data)
{
  SmtpBehaviour behaviour = GPOINTER_TO_INT (user_data);
  g_autofree char *upper = NULL;

  if (line == NULL)
    {
      g_string_append (reply, "220 fake.test ESMTP fake\r\n");
      return MAIL_FAKE_SERVER_REPLY;
    }

  /* The rest of an AUTH exchange. */
  if (*state != NULL)
    {
      if (g_str_equal (*state, "login-user"))
        {
          g_free (*state);
          *state = g_strdup ("login-password");
          g_string_append (reply, "334 UGFzc3dvcmQ6\r\n");
        }
      else
        {
          g_clear_pointer (state, g_free);
          g_string_append (reply, "235 2.7.0 Authentication successful\r\n");
        }
      return MAIL_FAKE_SERVER_REPLY;
    }

  upper = g_ascii_strup (line, -1);
  if (g_str_has_prefix (upper, "EHLO ") && behaviour == SMTP_STARTTLS_INJECTION && !tls)
    g_string_append (reply, "250-fake.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
  else if (g_str_has_prefix (upper, "EHLO "))
    g_string_append_printf (reply, "250-fake.test\r\n250-PIPELINING\r\n250-AUTH %s\r\n"
                                   "250 8BITMIME\r\n",
                            behaviour == SMTP_NO_PASSWORD_SASL ? "XOAUTH2 GSSAPI"
                                                               : "PLAIN LOGIN");
  else if (g_str_equal (upper, "STARTTLS") && behaviour == SMTP_STARTTLS_INJECTION && !tls)
    {
      /* What a man in the middle would slip in before the handshake. */
      g_string_append (reply, "220 2.0.0 Ready to start TLS\r\n250 AUTH PLAIN\r\n");
      return MAIL_FAKE_SERVER_REPLY_STARTTLS;
    }
  else if (g_str_has_prefix (upper, "HELO "))
    g_string_append (reply, "250 fake.test\r\n");
  else if (g_str_equal (upper, "QUIT"))
    {
      g_string_append (reply, "221 2.0.0 Bye\r\n");
      return MAIL_FAKE_SERVER_REPLY_CLOSE;
    }
  else if (g_str_equal (upper, "NOOP") || g_str_equal (upper, "RSET"))
    g_string_append (reply, "250 2.0.0 Ok\r\n");
  else if (behaviour == SMTP_ACCEPT && g_str_has_prefix (upper, "AUTH PLAIN "))
    g_string_append (reply, "235 2.7.0 Authentication successful\r\n");
  else if (behaviour == SMTP_ACCEPT && g_str_equal (upper, "AUTH PLAIN"))
    {
      *state = g_strdup ("plain");
      g_string_append (reply, "334 \r\n");
    }
  else if (behaviour == SMTP_ACCEPT && g_str_has_prefix (upper, "AUTH LOGIN"))
    {
      *state = g_strdup ("login-user");
      g_string_append (reply, "334 VXNlcm5hbWU6\r\n");
    }
  else if (g_str_has_prefix (upper, "AUTH "))
    g_string_append (reply, "504 5.5.4 Unrecognized authentication type\r\n");
  else
    g_string_append (reply, "502 5.5.2 Error: command not recognized\r\n");

  return MAIL_FAKE_SERVER_REPLY;
}

static MailFakeServer *
imap_server (ImapBehaviour behaviour,
             gboolean      implicit_tls)
{
  MailFakeServer *server = mail_fake_server_new (certs->good, implicit_tls);

  mail_fake_server_set_concurrent (server, TRUE);
  mail_fake_server_respond (server, imap_respond, GINT_TO_POINTER (behaviour));

  return server;
}

static MailFakeServer *
smtp_server_full (SmtpBehaviour behaviour,
                  gboolean      implicit_tls)
{
  MailFakeServer *server = mail_fake_server_new (certs->good, implicit_tls);

  mail_fake_server_set_concurrent (server, TRUE);
  mail_fake_server_respond (server, smtp_respond, GINT_TO_POINTER (behaviour));

  return server;
}

static MailFakeServer *
smtp_server (SmtpBehaviour behaviour)
{
  return smtp_server_full (behaviour, TRUE);
}

/* 1. The provider wants an app password ---------------------------------------------- */

static void
run_app_password (ImapBehaviour behaviour)
{
  g_autoptr (MailFakeServer) imap = imap_server (behaviour, TRUE);
  g_autoptr (MailFakeServer) smtp = smtp_server (SMTP_ACCEPT);
  g_autofree char *servers = NULL;
  g_autoptr (Providers) providers = NULL;
  g_autoptr (MailAutoconfig) autoconfig = NULL;
  g_autoptr (MailAutoconfigReport) report = NULL;
  g_autofree char *imap_transcript = NULL;
  g_autofree char *plaintext = NULL;
  const MailAutoconfigCandidate *incoming, *outgoing;
  guint attempts;
  Wait wait = { NULL };

  mail_fake_server_start (imap);
  mail_fake_server_start (smtp);
  servers = two_servers_xml (mail_fake_server_get_port (imap), "SSL",
                             mail_fake_server_get_port (smtp), "SSL");
  providers = providers_new (servers);
  autoconfig = new_autoconfig (providers);

  run_detect (autoconfig, PASSWORD, NULL, &wait);
  g_assert_no_error (wait.error);
  report = g_steal_pointer (&wait.report);
  print_trace (report);

  /* The probe, then one connection per sign-in attempt; all of them over and done. */
  g_assert_true (mail_fake_server_wait_finished (imap, mail_fake_server_get_n_accepted (imap),
                                                 5000));
  imap_transcript = mail_fake_server_dup_transcript (imap);
  g_test_message ("IMAP server saw:\n%s", imap_transcript);

  /* Said as it is: the provider wants an app password, from this server. */
  g_assert_false (mail_autoconfig_report_is_usable (report));
  g_assert_nonnull (report->incoming_error);
  g_assert_cmpint (report->incoming_category, ==, MAIL_ERROR_CATEGORY_APP_PASSWORD);
  g_assert_nonnull (strstr (report->incoming_error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (report->incoming_error->message, "https://support.example/apppass"));
  incoming = g_ptr_array_index (report->incoming, 0);
  g_assert_false (incoming->verified);
  g_assert_cmpint (incoming->error_category, ==, MAIL_ERROR_CATEGORY_APP_PASSWORD);

  /* At most two sign-in attempts, each on its own connection after the probe, and the
   * first with the address as the file says. */
  attempts = count_sign_ins (imap);
  /* One: another user name cannot help when the provider asks for an app password. */
  g_assert_cmpuint (attempts, ==, 1);
  g_assert_cmpuint (mail_fake_server_get_n_accepted (imap), ==, 1 + attempts);
  if (behaviour == IMAP_APP_PASSWORD_LOGIN)
    g_assert_nonnull (strstr (imap_transcript, "LOGIN \"" ADDRESS "\" "));
  else
    {
      static const char plain[] = "\0" ADDRESS "\0" PASSWORD;
      g_autofree char *encoded = g_base64_encode ((const guchar *) plain, sizeof plain - 1);

      g_assert_nonnull (strstr (imap_transcript, "AUTHENTICATE PLAIN\n"));
      g_assert_nonnull (strstr (imap_transcript, encoded));
    }

  /* The outgoing side is unaffected: signed in over TLS. */
  g_assert_null (report->outgoing_error);
  outgoing = g_ptr_array_index (report->outgoing, 0);
  g_assert_true (outgoing->verified);
  g_assert_cmpuint (count_sign_ins (smtp), ==, 1);

  /* Everything was TLS from the first byte: nothing at all arrived in the clear. */
  mail_fake_server_assert_no_plaintext_credentials (imap, ADDRESS, PASSWORD);
  mail_fake_server_assert_no_plaintext_credentials (smtp, ADDRESS, PASSWORD);
  plaintext = mail_fake_server_dup_plaintext_transcript (imap);
  g_assert_cmpstr (plaintext, ==, "");
}

static void
test_app_password_login (void)
{
  run_app_password (IMAP_APP_PASSWORD_LOGIN);
}

static void
test_app_password_authenticate (void)
{
  run_app_password (IMAP_APP_PASSWORD_SASL);
}

/* 2. No mechanism for a password ------------------------------------------------------ */

/* A server that answers the probe but never the sign-in: the budget still ends the
 * detection, and the report says the sign-in timed out rather than that nothing was
 * found. */
static void
test_sign_in_timeout (void)
{
  g_autoptr (MailFakeServer) imap = imap_server (IMAP_SILENT_SIGN_IN, TRUE);
  g_autoptr (MailFakeServer) smtp = smtp_server (SMTP_ACCEPT);
  g_autofree char *servers = NULL;
  g_autoptr (Providers) providers = NULL;
  g_autoptr (MailAutoconfig) autoconfig = NULL;
  g_autoptr (MailAutoconfigReport) report = NULL;
  gint64 started;
  Wait wait = { NULL };

  mail_fake_server_start (imap);
  mail_fake_server_start (smtp);
  servers = two_servers_xml (mail_fake_server_get_port (imap), "SSL",
                             mail_fake_server_get_port (smtp), "SSL");
  providers = providers_new (servers);
  autoconfig = new_autoconfig (providers);
  mail_autoconfig_set_budget (autoconfig, 3);

  started = g_get_monotonic_time ();
  run_detect (autoconfig, PASSWORD, NULL, &wait);
  g_assert_no_error (wait.error);
  report = g_steal_pointer (&wait.report);
  print_trace (report);

  g_assert_cmpint (g_get_monotonic_time () - started, <, 3600 * 1000);
  g_assert_false (mail_autoconfig_report_is_usable (report));
  g_assert_nonnull (report->incoming_error);
  g_assert_cmpint (report->incoming_category, ==, MAIL_ERROR_CATEGORY_TIMEOUT);
  g_assert_cmpuint (report->incoming->len, >, 0);
  g_assert_false (((MailAutoconfigCandidate *) g_ptr_array_index (report->incoming, 0))->verified);
  /* The other side was not held up by it. */
  g_assert_null (report->outgoing_error);
  g_assert_true (((MailAutoconfigCandidate *) g_ptr_array_index (report->outgoing, 0))->verified);
}

static void
test_missing_capability (void)
{
  g_autoptr (MailFakeServer) imap = imap_server (IMAP_ACCEPT, TRUE);
  g_autoptr (MailFakeServer) smtp = smtp_server (SMTP_NO_PASSWORD_SASL);
  g_autofree char *servers = NULL;
  g_autoptr (Providers) providers = NULL;
  g_autoptr (MailAutoconfig) autoconfig = NULL;
  g_autoptr (MailAutoconfigReport) report = NULL;
  g_autofree char *smtp_transcript = NULL;
  const MailAutoconfigCandidate *incoming;
  Wait wait = { NULL };

  mail_fake_server_start (imap);
  mail_fake_server_start (smtp);
  servers = two_servers_xml (mail_fake_server_get_port (imap), "SSL",
                             mail_fake_server_get_port (smtp), "SSL");
  providers = providers_new (servers);
  autoconfig = new_autoconfig (providers);

  run_detect (autoconfig, PASSWORD, NULL, &wait);
  g_assert_no_error (wait.error);
  report = g_steal_pointer (&wait.report);
  print_trace (report);
  g_assert_true (mail_fake_server_wait_finished (smtp, mail_fake_server_get_n_accepted (smtp),
                                                 5000));
  smtp_transcript = mail_fake_server_dup_transcript (smtp);
  g_test_message ("SMTP server saw:\n%s", smtp_transcript);

  /* Incoming works. */
  g_assert_null (report->incoming_error);
  incoming = g_ptr_array_index (report->incoming, 0);
  g_assert_true (incoming->verified);

  /* Outgoing: the server offers nothing a password can be used with, and says so. */
  g_assert_false (mail_autoconfig_report_is_usable (report));
  g_assert_nonnull (report->outgoing_error);
  g_assert_cmpint (report->outgoing_category, ==, MAIL_ERROR_CATEGORY_MISSING_CAPABILITY);
  g_assert_nonnull (strstr (report->outgoing_error->message, "127.0.0.1"));
  /* No AUTH was even tried: there is no mechanism to try. */
  g_assert_cmpuint (count_sign_ins (smtp), ==, 0);
  mail_fake_server_assert_no_credentials (smtp, ADDRESS, PASSWORD);
}

/* Without a password (the assistant's first pass, mail-tool detect --no-verify) nothing is
 * signed in to, but the probe has read the mechanisms after TLS: a server with none that
 * works with a password cannot be used, and the report should say so now rather than
 * after the user typed a password. */
static void
test_missing_capability_no_password (void)
{
  g_autoptr (MailFakeServer) imap = imap_server (IMAP_ACCEPT, TRUE);
  g_autoptr (MailFakeServer) smtp = smtp_server (SMTP_NO_PASSWORD_SASL);
  g_autofree char *servers = NULL;
  g_autoptr (Providers) providers = NULL;
  g_autoptr (MailAutoconfig) autoconfig = NULL;
  g_autoptr (MailAutoconfigReport) report = NULL;
  Wait wait = { NULL };

  mail_fake_server_start (imap);
  mail_fake_server_start (smtp);
  servers = two_servers_xml (mail_fake_server_get_port (imap), "SSL",
                             mail_fake_server_get_port (smtp), "SSL");
  providers = providers_new (servers);
  autoconfig = new_autoconfig (providers);

  run_detect (autoconfig, NULL, NULL, &wait);
  g_assert_no_error (wait.error);
  report = g_steal_pointer (&wait.report);
  print_trace (report);
  g_assert_cmpuint (count_sign_ins (smtp), ==, 0);

  /* The probe did read the mechanisms. */
  g_assert_cmpuint (report->outgoing->len + report->rejected->len, >, 0);

  g_assert_nonnull (report->outgoing_error);
  g_assert_false (mail_autoconfig_report_is_usable (report));
  g_assert_cmpint (report->outgoing_category, ==, MAIL_ERROR_CATEGORY_MISSING_CAPABILITY);
  g_assert_nonnull (strstr (report->outgoing_error->message, "127.0.0.1"));
}

/* 3. A fallback never takes the password where the first choice could not ------------ */

typedef enum
{
  FALLBACK_FOREIGN,          /* the second server proves only a host outside fake.test */
  FALLBACK_FOREIGN_APPROVED, /* the same, with the first choice approved in advance */
  FALLBACK_VERIFIED,         /* the second server is as trusted as the first */
} FallbackCase;

/* The provider file names two IMAP servers. The first answers the probe, then hangs up on
 * the sign-in: a failure that is not a refused password, so the engine moves on to the
 * next one. The second presents a valid certificate, but for other.example.test (which the
 * harness's DNS resolves to 127.0.0.1 for this test): the engine proposes that host, a
 * name outside the address's domain that only the certificate of whoever answered there
 * gave. Someone on the path who lets the probes through and breaks the real sign-in would
 * receive the password there. It must not be sent: not without approval, and not with an
 * approval given for the first choice either. The first server greets its probe half a
 * second late, so that the proposed host has been probed by the time the engine decides. */
static void
run_fallback (FallbackCase fallback_case)
{
  g_autoptr (MailFakeServer) first = imap_server (IMAP_DROP_SIGN_IN, TRUE);
  g_autoptr (MailFakeServer) second = NULL;
  g_autoptr (MailFakeServer) smtp = smtp_server (SMTP_ACCEPT);
  g_autofree char *first_xml = NULL;
  g_autofree char *second_xml = NULL;
  g_autofree char *smtp_xml = NULL;
  g_autofree char *servers = NULL;
  g_autofree char *transcript = NULL;
  g_autoptr (Providers) providers = NULL;
  g_autoptr (MailAutoconfig) autoconfig = NULL;
  g_autoptr (MailAutoconfigReport) report = NULL;
  gboolean foreign = fallback_case != FALLBACK_VERIFIED;
  gboolean proposed = FALSE;
  Wait wait = { NULL };

  second = mail_fake_server_new (foreign ? certs->wrong_host : certs->good, TRUE);
  mail_fake_server_set_concurrent (second, TRUE);
  mail_fake_server_respond (second, imap_respond, GINT_TO_POINTER (IMAP_ACCEPT));
  mail_fake_server_start (first);
  mail_fake_server_start (second);
  mail_fake_server_start (smtp);
  first_xml = server_xml ("incoming", "imap", mail_fake_server_get_port (first), "SSL");
  second_xml = server_xml ("incoming", "imap", mail_fake_server_get_port (second), "SSL");
  smtp_xml = server_xml ("outgoing", "smtp", mail_fake_server_get_port (smtp), "SSL");
  servers = g_strconcat (first_xml, second_xml, smtp_xml, NULL);
  providers = providers_new (servers);
  autoconfig = new_autoconfig (providers);
  mail_autoconfig_set_approved (autoconfig, fallback_case == FALLBACK_FOREIGN_APPROVED);

  run_detect (autoconfig, PASSWORD, NULL, &wait);
  g_assert_no_error (wait.error);
  report = g_steal_pointer (&wait.report);
  print_trace (report);
  g_assert_true (mail_fake_server_wait_finished (second, mail_fake_server_get_n_accepted (second),
                                                 5000));
  transcript = mail_fake_server_dup_transcript (second);
  g_test_message ("second server saw:\n%s", transcript);

  /* The first choice was tried, and hung up on. */
  g_assert_cmpuint (count_sign_ins (first), >=, 1);
  g_assert_cmpuint (mail_fake_server_get_n_accepted (second), >=, 1);

  if (!foreign)
    {
      /* A fallback as trusted as the first choice is still taken. */
      const MailAutoconfigCandidate *incoming = g_ptr_array_index (report->incoming, 0);

      g_assert_null (report->incoming_error);
      g_assert_true (incoming->verified);
      g_assert_cmpuint (incoming->port, ==, mail_fake_server_get_port (second));
      g_assert_cmpuint (count_sign_ins (second), ==, 1);
      return;
    }

  /* The engine did propose the certificate's host, found it answering, and chose it as
   * the fallback. */
  for (guint i = 0; i < report->incoming->len; i++)
    {
      const MailAutoconfigCandidate *candidate = g_ptr_array_index (report->incoming, i);

      if (g_strcmp0 (candidate->host, "other.example.test") == 0)
        {
          proposed = TRUE;
          g_assert_cmpint (candidate->source, ==, MAIL_AUTOCONFIG_SOURCE_CERTIFICATE);
          g_assert_cmpint (candidate->trust, !=, MAIL_AUTOCONFIG_TRUST_VERIFIED);
          g_assert_true (candidate->reachable);
          g_assert_false (candidate->verified);
        }
    }
  g_assert_true (proposed);

  /* No sign-in there, and no password on the wire in any form. */
  g_assert_cmpuint (count_sign_ins (second), ==, 0);
  mail_fake_server_assert_no_credentials (second, ADDRESS, PASSWORD);
  mail_fake_server_assert_no_credentials (second, "alice", PASSWORD);

  /* The report says the first choice could not be signed in to, not that all is well. */
  g_assert_false (mail_autoconfig_report_is_usable (report));
  g_assert_nonnull (report->incoming_error);
  g_assert_cmpint (report->incoming_category, ==, MAIL_ERROR_CATEGORY_NETWORK);
  g_assert_null (report->outgoing_error);
}

static void
test_fallback_foreign (void)
{
  run_fallback (FALLBACK_FOREIGN);
}

static void
test_fallback_foreign_approved (void)
{
  run_fallback (FALLBACK_FOREIGN_APPROVED);
}

static void
test_fallback_verified (void)
{
  run_fallback (FALLBACK_VERIFIED);
}

/* 4. STARTTLS stripped, or followed by injected bytes --------------------------------- */

/* The attacked server is the incoming one (IMAP, @behaviour an ImapBehaviour) or the
 * outgoing one (SMTP, @behaviour an SmtpBehaviour); the other is a good implicit-TLS
 * server that signs in. */
static void
run_starttls_attack (gboolean outgoing,
                     int      behaviour)
{
  g_autoptr (MailFakeServer) imap = NULL;
  g_autoptr (MailFakeServer) smtp = NULL;
  g_autofree char *servers = NULL;
  g_autoptr (Providers) providers = NULL;
  g_autoptr (MailAutoconfig) autoconfig = NULL;
  g_autoptr (MailAutoconfigReport) report = NULL;
  g_autofree char *transcript = NULL;
  const MailAutoconfigCandidate *rejected;
  MailFakeServer *attacked, *good;
  GPtrArray *candidates;
  const GError *direction_error;
  MailProtocol protocol;
  guint16 port;
  Wait wait = { NULL };

  if (outgoing)
    {
      imap = imap_server (IMAP_ACCEPT, TRUE);
      smtp = smtp_server_full (behaviour, FALSE);
      attacked = smtp;
      good = imap;
      protocol = MAIL_PROTOCOL_SMTP;
    }
  else
    {
      imap = imap_server (behaviour, FALSE);
      smtp = smtp_server (SMTP_ACCEPT);
      attacked = imap;
      good = smtp;
      protocol = MAIL_PROTOCOL_IMAP;
    }
  mail_fake_server_start (imap);
  mail_fake_server_start (smtp);
  port = mail_fake_server_get_port (attacked);
  servers = two_servers_xml (mail_fake_server_get_port (imap), outgoing ? "SSL" : "STARTTLS",
                             mail_fake_server_get_port (smtp), outgoing ? "STARTTLS" : "SSL");
  providers = providers_new (servers);
  autoconfig = new_autoconfig (providers);

  run_detect (autoconfig, PASSWORD, NULL, &wait);
  g_assert_no_error (wait.error);
  report = g_steal_pointer (&wait.report);
  print_trace (report);
  g_assert_true (mail_fake_server_wait_finished (attacked,
                                                 mail_fake_server_get_n_accepted (attacked),
                                                 5000));
  transcript = mail_fake_server_dup_transcript (attacked);
  g_test_message ("attacked server saw:\n%s", transcript);

  /* The password never reached that server, in the clear or otherwise, and no sign-in
   * was even started there. */
  g_assert_cmpuint (mail_fake_server_get_n_accepted (attacked), >=, 1);
  mail_fake_server_assert_no_credentials (attacked, ADDRESS, PASSWORD);
  mail_fake_server_assert_no_credentials (attacked, "alice", PASSWORD);
  g_assert_cmpuint (count_sign_ins (attacked), ==, 0);

  /* The STARTTLS candidate is rejected for what it is. */
  rejected = find_rejected (report, protocol, port, MAIL_SECURITY_STARTTLS);
  if (rejected == NULL)
    g_error ("the STARTTLS candidate is not among the rejected");
  g_assert_cmpint (rejected->error_category, ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);

  /* Whatever is left for that direction is never usable without the user: a plaintext
   * candidate needing approval and never verified, or nothing with an error. */
  candidates = outgoing ? report->outgoing : report->incoming;
  direction_error = outgoing ? report->outgoing_error : report->incoming_error;
  g_assert_false (mail_autoconfig_report_is_usable (report) &&
                  !mail_autoconfig_report_needs_approval (report));
  for (guint i = 0; i < candidates->len; i++)
    {
      const MailAutoconfigCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *described = mail_autoconfig_candidate_describe (candidate);

      g_test_message ("candidate left: %s, trust %s, reachable %d", described,
                      mail_autoconfig_trust_to_string (candidate->trust), candidate->reachable);
      g_assert_false (candidate->verified);
      g_assert_cmpint (candidate->security, ==, MAIL_SECURITY_NONE);
      g_assert_cmpint (candidate->trust, ==, MAIL_AUTOCONFIG_TRUST_INSECURE);
    }
  g_test_message ("error: %s", direction_error != NULL ? direction_error->message : "none");
  /* Bytes slipped in after the STARTTLS reply mean tampering: no plaintext fallback. */
  if ((outgoing && behaviour == SMTP_STARTTLS_INJECTION) ||
      (!outgoing && behaviour == IMAP_STARTTLS_INJECTION))
    g_assert_cmpuint (candidates->len, ==, 0);
  if (candidates->len > 0)
    g_assert_true (mail_autoconfig_report_needs_approval (report));
  else
    g_assert_nonnull (direction_error);

  /* The other side was signed in to over TLS, which is fine. */
  g_assert_cmpuint (count_sign_ins (good), ==, 1);
  mail_fake_server_assert_no_plaintext_credentials (good, ADDRESS, PASSWORD);
}

static void
test_starttls_stripped_imap (void)
{
  run_starttls_attack (FALSE, IMAP_NO_STARTTLS);
}

static void
test_starttls_injection_imap (void)
{
  run_starttls_attack (FALSE, IMAP_STARTTLS_INJECTION);
}

static void
test_starttls_stripped_smtp (void)
{
  run_starttls_attack (TRUE, SMTP_NO_STARTTLS);
}

static void
test_starttls_injection_smtp (void)
{
  run_starttls_attack (TRUE, SMTP_STARTTLS_INJECTION);
}

/* 5. Cancel closes every socket within 200 ms ------------------------------------------ */

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_at;
} CancelAt;

static gboolean
cancel_cb (gpointer data)
{
  CancelAt *cancel = data;

  cancel->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancel->cancellable);

  return G_SOURCE_REMOVE;
}

/* Accepts, reads whatever comes (a TLS hello, nothing) and never says a word. */
static MailFakeServer *
silent_server (void)
{
  MailFakeServer *server = mail_fake_server_new (NULL, FALSE);

  mail_fake_server_set_concurrent (server, TRUE);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  return server;
}

static void
assert_closed_after (MailFakeServer *server,
                     const char     *name,
                     gint64          cancelled_at)
{
  guint accepted = mail_fake_server_get_n_accepted (server);
  g_autoptr (GArray) ends = NULL;

  g_assert_cmpuint (accepted, >=, 1);
  g_assert_true (mail_fake_server_wait_finished (server, accepted, 3000));
  ends = mail_fake_server_dup_end_times (server);
  g_assert_cmpuint (ends->len, ==, accepted);
  for (guint i = 0; i < ends->len; i++)
    {
      gint64 after = g_array_index (ends, gint64, i) - cancelled_at;

      g_test_message ("%s connection %u closed %.1f ms after Cancel", name, i, after / 1000.0);
      /* Open until Cancel (the probe timeout is seconds away), shut within 200 ms of it. */
      g_assert_cmpint (after, >=, 0);
      g_assert_cmpint (after, <, 200 * 1000);
    }
}

static void
test_cancel_closes_sockets (void)
{
  g_autoptr (MailFakeServer) imaps = silent_server ();
  g_autoptr (MailFakeServer) imap = silent_server ();
  g_autoptr (MailFakeServer) pop3s = silent_server ();
  g_autoptr (MailFakeServer) submissions = silent_server ();
  g_autoptr (MailFakeServer) submission = silent_server ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *imaps_xml = server_xml ("incoming", "imap",
                                           mail_fake_server_get_port (imaps), "SSL");
  g_autofree char *imap_xml = server_xml ("incoming", "imap",
                                          mail_fake_server_get_port (imap), "STARTTLS");
  g_autofree char *pop3s_xml = server_xml ("incoming", "pop3",
                                           mail_fake_server_get_port (pop3s), "SSL");
  g_autofree char *submissions_xml = server_xml ("outgoing", "smtp",
                                                 mail_fake_server_get_port (submissions), "SSL");
  g_autofree char *submission_xml = server_xml ("outgoing", "smtp",
                                                mail_fake_server_get_port (submission),
                                                "STARTTLS");
  g_autofree char *servers = g_strconcat (imaps_xml, imap_xml, pop3s_xml, submissions_xml,
                                          submission_xml, NULL);
  g_autoptr (Providers) providers = providers_new (servers);
  g_autoptr (MailAutoconfig) autoconfig = new_autoconfig (providers);
  CancelAt cancel = { cancellable, 0 };
  Wait wait = { NULL };

  g_timeout_add (500, cancel_cb, &cancel);
  run_detect (autoconfig, PASSWORD, cancellable, &wait);

  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_null (wait.report);
  g_assert_cmpint (cancel.cancelled_at, >, 0);
  g_assert_cmpint (wait.finished - cancel.cancelled_at, <, 200 * 1000);

  assert_closed_after (imaps, "IMAP TLS", cancel.cancelled_at);
  assert_closed_after (imap, "IMAP STARTTLS", cancel.cancelled_at);
  assert_closed_after (pop3s, "POP3 TLS", cancel.cancelled_at);
  assert_closed_after (submissions, "SMTP TLS", cancel.cancelled_at);
  assert_closed_after (submission, "SMTP STARTTLS", cancel.cancelled_at);
}

/* 6. A file naming two hundred servers -------------------------------------------------- */

#define N_HOSTILE_SERVERS 200
#define MAX_PROBED        8

static guint
count_probe_steps (const MailAutoconfigReport *report,
                   const char                 *prefix)
{
  guint n = 0;

  for (guint i = 0; i < report->trace->len; i++)
    {
      const MailAutoconfigStep *step = g_ptr_array_index (report->trace, i);

      if (g_str_has_prefix (step->target, prefix))
        n++;
    }

  return n;
}

static void
test_many_servers (void)
{
  g_autoptr (MailFakeServer) imap = imap_server (IMAP_ACCEPT, TRUE);
  g_autoptr (MailFakeServer) smtp = smtp_server (SMTP_ACCEPT);
  g_autoptr (GString) servers = g_string_new (NULL);
  g_autoptr (Providers) providers = NULL;
  g_autoptr (MailAutoconfig) autoconfig = NULL;
  g_autoptr (MailAutoconfigReport) report = NULL;
  Wait wait = { NULL };

  /* Each server on a port of its own, so that no two are the same probe. The first port
   * comes with the server; the file names it last, so that it is not among the first
   * eight. */
  for (guint i = 1; i < N_HOSTILE_SERVERS; i++)
    {
      g_autofree char *one = server_xml ("incoming", "imap", mail_fake_server_add_port (imap),
                                         "SSL");

      g_string_append (servers, one);
    }
  for (guint i = 0; i < N_HOSTILE_SERVERS; i++)
    {
      g_autofree char *one = server_xml ("outgoing", "smtp",
                                         i == 0 ? mail_fake_server_get_port (smtp)
                                                : mail_fake_server_add_port (smtp),
                                         "SSL");

      g_string_append (servers, one);
    }
  {
    g_autofree char *last = server_xml ("incoming", "imap", mail_fake_server_get_port (imap),
                                        "SSL");

    g_string_append (servers, last);
  }
  mail_fake_server_start (imap);
  mail_fake_server_start (smtp);
  providers = providers_new (servers->str);
  autoconfig = new_autoconfig (providers);

  /* No password: probes only, so every connection is a probe. */
  run_detect (autoconfig, NULL, NULL, &wait);
  g_assert_no_error (wait.error);
  report = g_steal_pointer (&wait.report);
  print_trace (report);

  g_assert_true (mail_fake_server_wait_finished (imap, mail_fake_server_get_n_accepted (imap),
                                                 5000));
  g_assert_true (mail_fake_server_wait_finished (smtp, mail_fake_server_get_n_accepted (smtp),
                                                 5000));
  g_test_message ("connections: IMAP %u, SMTP %u", mail_fake_server_get_n_accepted (imap),
                  mail_fake_server_get_n_accepted (smtp));

  /* Probed, but no more than eight a direction, counted on the wire and in the trace. */
  g_assert_cmpuint (mail_fake_server_get_n_accepted (imap), >=, 1);
  g_assert_cmpuint (mail_fake_server_get_n_accepted (imap), <=, MAX_PROBED);
  g_assert_cmpuint (mail_fake_server_get_n_accepted (smtp), >=, 1);
  g_assert_cmpuint (mail_fake_server_get_n_accepted (smtp), <=, MAX_PROBED);
  g_assert_cmpuint (count_probe_steps (report, "IMAP 127.0.0.1:"), <=, MAX_PROBED);
  g_assert_cmpuint (count_probe_steps (report, "SMTP 127.0.0.1:"), <=, MAX_PROBED);
  g_assert_cmpuint (report->incoming->len, <=, MAX_PROBED);
  g_assert_cmpuint (report->outgoing->len, <=, MAX_PROBED);

  /* And what was found works: the first of the file's servers, probed and reachable. */
  g_assert_true (mail_autoconfig_report_is_usable (report));
  g_assert_true (((MailAutoconfigCandidate *) g_ptr_array_index (report->incoming, 0))->reachable);
  g_assert_true (((MailAutoconfigCandidate *) g_ptr_array_index (report->outgoing, 0))->reachable);
}

/* A file past the parser's size cap, naming good servers after the padding: refused as a
 * whole, never half read, and nothing it names is connected to. */
static void
test_huge_file (void)
{
  g_autoptr (MailFakeServer) imap = imap_server (IMAP_ACCEPT, TRUE);
  g_autoptr (MailFakeServer) smtp = smtp_server (SMTP_ACCEPT);
  g_autofree char *good = NULL;
  g_autofree char *padding = g_strnfill (2 * 1024 * 1024, ' ');
  g_autofree char *servers = NULL;
  g_autoptr (Providers) providers = NULL;
  g_autoptr (MailAutoconfig) autoconfig = NULL;
  g_autoptr (MailAutoconfigReport) report = NULL;
  gboolean local_step = FALSE;
  Wait wait = { NULL };

  mail_fake_server_start (imap);
  mail_fake_server_start (smtp);
  good = two_servers_xml (mail_fake_server_get_port (imap), "SSL",
                          mail_fake_server_get_port (smtp), "SSL");
  servers = g_strconcat ("<!--", padding, "-->\n", good, NULL);
  providers = providers_new (servers);
  autoconfig = new_autoconfig (providers);

  run_detect (autoconfig, PASSWORD, NULL, &wait);
  g_assert_no_error (wait.error);
  report = g_steal_pointer (&wait.report);
  print_trace (report);

  g_assert_cmpuint (mail_fake_server_get_n_accepted (imap), ==, 0);
  g_assert_cmpuint (mail_fake_server_get_n_accepted (smtp), ==, 0);
  g_assert_false (mail_autoconfig_report_is_usable (report));
  g_assert_cmpint (report->incoming_category, ==, MAIL_ERROR_CATEGORY_NOT_FOUND);
  for (guint i = 0; i < report->trace->len; i++)
    {
      const MailAutoconfigStep *step = g_ptr_array_index (report->trace, i);

      if (step->source == MAIL_AUTOCONFIG_SOURCE_LOCAL)
        {
          local_step = TRUE;
          g_assert_nonnull (strstr (step->outcome, "too large"));
        }
    }
  g_assert_true (local_step);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  certs = mail_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/autoconfig/hostile/app-password/login", test_app_password_login);
  g_test_add_func ("/autoconfig/hostile/app-password/authenticate",
                   test_app_password_authenticate);
  g_test_add_func ("/autoconfig/hostile/sign-in-timeout", test_sign_in_timeout);
  g_test_add_func ("/autoconfig/hostile/missing-capability", test_missing_capability);
  g_test_add_func ("/autoconfig/hostile/missing-capability-no-password",
                   test_missing_capability_no_password);
  g_test_add_func ("/autoconfig/hostile/fallback/foreign", test_fallback_foreign);
  g_test_add_func ("/autoconfig/hostile/fallback/foreign-approved",
                   test_fallback_foreign_approved);
  g_test_add_func ("/autoconfig/hostile/fallback/verified", test_fallback_verified);
  g_test_add_func ("/autoconfig/hostile/starttls/stripped-imap", test_starttls_stripped_imap);
  g_test_add_func ("/autoconfig/hostile/starttls/injection-imap", test_starttls_injection_imap);
  g_test_add_func ("/autoconfig/hostile/starttls/stripped-smtp", test_starttls_stripped_smtp);
  g_test_add_func ("/autoconfig/hostile/starttls/injection-smtp", test_starttls_injection_smtp);
  g_test_add_func ("/autoconfig/hostile/cancel-closes-sockets", test_cancel_closes_sockets);
  g_test_add_func ("/autoconfig/hostile/many-servers", test_many_servers);
  g_test_add_func ("/autoconfig/hostile/huge-file", test_huge_file);

  status = g_test_run ();
  mail_test_certs_free (certs);

  return status;
}
