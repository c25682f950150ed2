/* test-autoconfig-parser.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-autoconfig-parser.h"

#define ADDRESS "jane.doe@example.com"

static MailAutoconfigServer *
server_at (GPtrArray *servers,
           guint      index)
{
  g_assert_cmpuint (index, <, servers->len);
  return g_ptr_array_index (servers, index);
}

static gboolean
has_warning (MailAutoconfigResult *result,
             const char           *needle)
{
  for (guint i = 0; i < result->warnings->len; i++)
    if (strstr (g_ptr_array_index (result->warnings, i), needle) != NULL)
      return TRUE;

  return FALSE;
}

static MailAutoconfigAuth
auth_at (MailAutoconfigServer *server,
         guint                 index)
{
  g_assert_cmpuint (index, <, server->auth_methods->len);
  return g_array_index (server->auth_methods, MailAutoconfigAuth, index);
}

static void
test_provider_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "autoconfig",
                                                 "example.com.xml", NULL);
  g_autoptr (MailAutoconfigResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  MailAutoconfigServer *server;
  MailAutoconfigLink *link;
  MailAutoconfigText *text;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);

  result = mail_autoconfig_parse (contents, length, ADDRESS, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  g_assert_cmpstr (result->provider_id, ==, "example.com");
  g_assert_cmpuint (result->domains->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (result->domains, 0), ==, "example.com");
  g_assert_cmpstr (g_ptr_array_index (result->domains, 1), ==, "example.net");
  g_assert_cmpstr (result->display_name, ==, "Example Mail for jane.doe");
  g_assert_cmpstr (result->display_short_name, ==, "Example");

  /* IMAP, then POP3, as in the file; exchange and jmap ignored, the bad port dropped. */
  g_assert_cmpuint (result->incoming_servers->len, ==, 2);
  server = server_at (result->incoming_servers, 0);
  g_assert_cmpint (server->protocol, ==, MAIL_PROTOCOL_IMAP);
  g_assert_cmpstr (server->hostname, ==, "imap.example.com");
  g_assert_cmpuint (server->port, ==, 993);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpstr (server->username, ==, ADDRESS);
  g_assert_cmpuint (server->auth_methods->len, ==, 2);
  g_assert_cmpint (auth_at (server, 0), ==, MAIL_AUTOCONFIG_AUTH_OAUTH2);
  g_assert_cmpint (auth_at (server, 1), ==, MAIL_AUTOCONFIG_AUTH_PASSWORD_CLEARTEXT);
  g_assert_false (server->has_pop3_hints);

  server = server_at (result->incoming_servers, 1);
  g_assert_cmpint (server->protocol, ==, MAIL_PROTOCOL_POP3);
  g_assert_cmpstr (server->hostname, ==, "pop.example.com");
  g_assert_cmpuint (server->port, ==, 110);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_STARTTLS);
  g_assert_cmpstr (server->username, ==, "jane.doe");
  g_assert_cmpuint (server->auth_methods->len, ==, 1);
  g_assert_cmpint (auth_at (server, 0), ==, MAIL_AUTOCONFIG_AUTH_PASSWORD_ENCRYPTED);
  g_assert_true (server->has_pop3_hints);
  g_assert_false (server->pop3_hints.leave_messages_on_server);
  g_assert_true (server->pop3_hints.download_on_biff);
  g_assert_cmpuint (server->pop3_hints.days_to_leave_messages_on_server, ==, 7);
  g_assert_cmpuint (server->pop3_hints.check_interval_minutes, ==, 15);

  g_assert_cmpuint (result->outgoing_servers->len, ==, 2);
  server = server_at (result->outgoing_servers, 0);
  g_assert_cmpint (server->protocol, ==, MAIL_PROTOCOL_SMTP);
  g_assert_cmpstr (server->hostname, ==, "smtp.example.com");
  g_assert_cmpuint (server->port, ==, 465);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpint (auth_at (server, 0), ==, MAIL_AUTOCONFIG_AUTH_PASSWORD_CLEARTEXT);
  server = server_at (result->outgoing_servers, 1);
  g_assert_cmpstr (server->hostname, ==, "smtp2.example.com");
  g_assert_null (server->username);
  g_assert_cmpuint (server->auth_methods->len, ==, 2);
  g_assert_cmpint (auth_at (server, 1), ==, MAIL_AUTOCONFIG_AUTH_CLIENT_IP_ADDRESS);

  g_assert_cmpuint (result->documentation->len, ==, 1);
  link = g_ptr_array_index (result->documentation, 0);
  g_assert_cmpstr (link->url, ==, "https://example.com/help?user=" ADDRESS);
  g_assert_cmpuint (link->texts->len, ==, 2);
  text = g_ptr_array_index (link->texts, 0);
  g_assert_cmpstr (text->lang, ==, "en");
  g_assert_cmpstr (text->text, ==, "Setup for " ADDRESS);
  text = g_ptr_array_index (link->texts, 1);
  g_assert_cmpstr (text->lang, ==, "de");

  g_assert_cmpuint (result->instructions->len, ==, 1);
  link = g_ptr_array_index (result->instructions, 0);
  g_assert_cmpstr (link->url, ==, "https://example.com/settings/example.com");
  text = g_ptr_array_index (link->texts, 0);
  g_assert_cmpstr (text->text, ==, "Turn on IMAP access");

  g_assert_true (has_warning (result, "“exchange”"));
  g_assert_true (has_warning (result, "“jmap”"));
  g_assert_true (has_warning (result, "invalid port"));
  g_assert_true (has_warning (result, "“secure”"));
  g_assert_true (has_warning (result, "“plain”"));
}

static MailAutoconfigResult *
parse_ok (const char *xml)
{
  g_autoptr (GError) error = NULL;
  MailAutoconfigResult *result = mail_autoconfig_parse (xml, -1, ADDRESS, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
parse_fails (const char *xml,
             gssize      length,
             int         code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAutoconfigResult) result = mail_autoconfig_parse (xml, length, ADDRESS, &error);

  g_assert_null (result);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, code);
  g_test_message ("%s", error->message);
}

#define SERVER(type, host, port, socket) \
  "<incomingServer type=\"" type "\"><hostname>" host "</hostname><port>" port \
  "</port><socketType>" socket "</socketType></incomingServer>"

static void
test_invalid_sections (void)
{
  g_autoptr (MailAutoconfigResult) result = parse_ok (
    "<clientConfig><emailProvider id='x'>"
    SERVER ("imap", "", "993", "SSL")
    SERVER ("imap", "a.example", "", "SSL")
    SERVER ("imap", "b.example", "0", "SSL")
    SERVER ("imap", "c.example", "993", "bogus")
    SERVER ("imap", "bad host", "993", "SSL")
    "<incomingServer type='imap'><hostname>d.example</hostname><port>143</port></incomingServer>"
    SERVER ("imap", "ok.example", "143", "plain")
    SERVER ("pop3", "tls.example", " 995 ", "TLS")
    SERVER ("imap", "case.example", "993", "ssl")
    "<incomingServer type='imap'><hostname>two.example</hostname><hostname>x</hostname>"
    "<port>993</port><socketType>SSL</socketType>"
    "<authentication>NTLM</authentication><authentication>magic</authentication>"
    "<authentication>ntlm</authentication></incomingServer>"
    "</emailProvider></clientConfig>");
  MailAutoconfigServer *server;

  g_assert_cmpuint (result->incoming_servers->len, ==, 4);
  server = server_at (result->incoming_servers, 0);
  g_assert_cmpstr (server->hostname, ==, "ok.example");
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_NONE);
  g_assert_cmpuint (server->auth_methods->len, ==, 0);
  server = server_at (result->incoming_servers, 1);
  g_assert_cmpstr (server->hostname, ==, "tls.example");
  g_assert_cmpuint (server->port, ==, 995);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  server = server_at (result->incoming_servers, 2);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  server = server_at (result->incoming_servers, 3);
  g_assert_cmpstr (server->hostname, ==, "two.example");
  g_assert_cmpuint (server->auth_methods->len, ==, 1);
  g_assert_cmpint (auth_at (server, 0), ==, MAIL_AUTOCONFIG_AUTH_NTLM);

  g_assert_true (has_warning (result, "no hostname"));
  g_assert_true (has_warning (result, "no port"));
  g_assert_true (has_warning (result, "invalid port"));
  g_assert_true (has_warning (result, "unknown socketType"));
  g_assert_true (has_warning (result, "invalid hostname"));
  g_assert_true (has_warning (result, "no socketType"));
  g_assert_true (has_warning (result, "non-standard socketType “TLS”"));
  g_assert_true (has_warning (result, "second <hostname>"));
  g_assert_true (has_warning (result, "“magic”"));
  g_assert_cmpuint (result->outgoing_servers->len, ==, 0);
}

static void
test_idn_and_no_address (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAutoconfigResult) result = NULL;
  const char *xml = "<clientConfig><emailProvider>"
                    SERVER ("imap", "imap.bücher.example", "993", "SSL")
                    "<outgoingServer type='smtp'><hostname>smtp.%EMAILDOMAIN%</hostname>"
                    "<port>587</port><socketType>STARTTLS</socketType>"
                    "<username><![CDATA[%EMAILADDRESS%]]></username></outgoingServer>"
                    "</emailProvider></clientConfig>";
  MailAutoconfigServer *server;

  result = mail_autoconfig_parse (xml, -1, NULL, &error);
  g_assert_no_error (error);
  server = server_at (result->incoming_servers, 0);
  g_assert_cmpstr (server->hostname, ==, "imap.bücher.example");
  /* Without an address, a placeholder is left as is, and % is no host name. */
  g_assert_cmpuint (result->outgoing_servers->len, ==, 0);
  g_clear_pointer (&result, mail_autoconfig_result_free);

  result = parse_ok (xml);
  server = server_at (result->outgoing_servers, 0);
  g_assert_cmpstr (server->hostname, ==, "smtp.example.com");
  g_assert_cmpstr (server->username, ==, ADDRESS);
}

static void
test_links (void)
{
  g_autoptr (MailAutoconfigResult) result = parse_ok (
    "<clientConfig>"
    "<enable visiturl='javascript:alert(1)'><instruction>x</instruction></enable>"
    "<documentation><descr>no url</descr></documentation>"
    "<enable visiturl='http://example.com/'><instruction lang='en'> Enable it </instruction>"
    "<instruction/></enable>"
    "</clientConfig>");
  MailAutoconfigLink *link;

  g_assert_cmpuint (result->documentation->len, ==, 0);
  g_assert_cmpuint (result->instructions->len, ==, 1);
  link = g_ptr_array_index (result->instructions, 0);
  g_assert_cmpuint (link->texts->len, ==, 1);
  g_assert_cmpstr (((MailAutoconfigText *) g_ptr_array_index (link->texts, 0))->text, ==,
                   "Enable it");
  g_assert_true (has_warning (result, "enable section"));
  g_assert_true (has_warning (result, "documentation section"));
  g_assert_null (result->provider_id);
}

static void
test_pop3_hints (void)
{
  g_autoptr (MailAutoconfigResult) result = parse_ok (
    "<clientConfig><emailProvider>"
    "<incomingServer type='pop3'><hostname>p.example</hostname><port>995</port>"
    "<socketType>SSL</socketType><pop3><leaveMessagesOnServer>maybe</leaveMessagesOnServer>"
    "<daysToLeaveMessagesOnServer>-1</daysToLeaveMessagesOnServer>"
    "<checkInterval minutes='0'/></pop3></incomingServer>"
    "<incomingServer type='imap'><hostname>i.example</hostname><port>993</port>"
    "<socketType>SSL</socketType><pop3><leaveMessagesOnServer>false</leaveMessagesOnServer>"
    "</pop3></incomingServer>"
    "</emailProvider><emailProvider id='second'/></clientConfig>");
  MailAutoconfigServer *server = server_at (result->incoming_servers, 0);

  g_assert_true (server->has_pop3_hints);
  g_assert_true (server->pop3_hints.leave_messages_on_server);
  g_assert_cmpuint (server->pop3_hints.days_to_leave_messages_on_server, ==, 14);
  g_assert_cmpuint (server->pop3_hints.check_interval_minutes, ==, 0);
  g_assert_true (has_warning (result, "<leaveMessagesOnServer>"));
  g_assert_true (has_warning (result, "<daysToLeaveMessagesOnServer>"));
  g_assert_true (has_warning (result, "<checkInterval>"));
  g_assert_true (has_warning (result, "second <emailProvider>"));

  server = server_at (result->incoming_servers, 1);
  g_assert_false (server->has_pop3_hints);
  g_assert_null (result->provider_id);
}

static void
test_too_large (void)
{
  gsize size = MAIL_AUTOCONFIG_PARSER_MAX_SIZE + 1;
  g_autofree char *big = g_malloc (size + 1);
  g_autoptr (MailAutoconfigResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *head = "<clientConfig>";
  const char *tail = "</clientConfig>";

  memset (big, ' ', size);
  memcpy (big, head, strlen (head));
  memcpy (big + size - strlen (tail), tail, strlen (tail));
  big[size] = '\0';
  parse_fails (big, size, MAIL_AUTOCONFIG_ERROR_TOO_LARGE);
  parse_fails (big, -1, MAIL_AUTOCONFIG_ERROR_TOO_LARGE);

  /* Exactly at the limit is fine. */
  memcpy (big + size - 1 - strlen (tail), tail, strlen (tail));
  result = mail_autoconfig_parse (big, size - 1, ADDRESS, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

static void
test_malformed (void)
{
  parse_fails ("", 0, MAIL_AUTOCONFIG_ERROR_MALFORMED);
  parse_fails ("  \n", -1, MAIL_AUTOCONFIG_ERROR_MALFORMED);
  parse_fails ("<clientConfig><emailProvider></clientConfig>", -1,
               MAIL_AUTOCONFIG_ERROR_MALFORMED);
  parse_fails ("<clientConfig>", -1, MAIL_AUTOCONFIG_ERROR_MALFORMED);
  parse_fails ("not xml at all", -1, MAIL_AUTOCONFIG_ERROR_MALFORMED);
  parse_fails ("<clientConfig>&unknown;</clientConfig>", -1, MAIL_AUTOCONFIG_ERROR_MALFORMED);
  parse_fails ("<html><body/></html>", -1, MAIL_AUTOCONFIG_ERROR_NOT_AUTOCONFIG);
  /* Latin-1, whatever the declaration says. */
  parse_fails ("<?xml version='1.0' encoding='ISO-8859-1'?>"
               "<clientConfig><emailProvider><displayName>M\xfc" "ller</displayName>"
               "</emailProvider></clientConfig>", -1, MAIL_AUTOCONFIG_ERROR_MALFORMED);
  parse_fails ("<clientConfig>\0</clientConfig>", 31, MAIL_AUTOCONFIG_ERROR_MALFORMED);
}

static void
test_empty_config (void)
{
  g_autoptr (MailAutoconfigResult) result =
    parse_ok ("\xef\xbb\xbf<?xml version='1.0'?>\n<!-- nothing --><clientConfig version='1.1'/>");

  g_assert_cmpuint (result->incoming_servers->len, ==, 0);
  g_assert_cmpuint (result->outgoing_servers->len, ==, 0);
  g_assert_cmpuint (result->warnings->len, ==, 0);
}

static void
test_doctype (void)
{
  /* Billion laughs: refused before anything could be expanded. */
  parse_fails ("<?xml version='1.0'?>\n"
               "<!DOCTYPE lolz [\n"
               " <!ENTITY lol \"lol\">\n"
               " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
               " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
               "]>\n"
               "<clientConfig><emailProvider><displayName>&lol3;</displayName>"
               "</emailProvider></clientConfig>", -1, MAIL_AUTOCONFIG_ERROR_FORBIDDEN);

  /* An external entity: nothing is fetched or read. */
  parse_fails ("<!DOCTYPE clientConfig [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
               "<clientConfig><emailProvider><displayName>&xxe;</displayName>"
               "</emailProvider></clientConfig>", -1, MAIL_AUTOCONFIG_ERROR_FORBIDDEN);
  parse_fails ("<!DOCTYPE clientConfig SYSTEM \"http://example.com/evil.dtd\">"
               "<clientConfig/>", -1, MAIL_AUTOCONFIG_ERROR_FORBIDDEN);

  /* An entity used without any declaration is just an error. */
  parse_fails ("<clientConfig><emailProvider><displayName>&xxe;</displayName>"
               "</emailProvider></clientConfig>", -1, MAIL_AUTOCONFIG_ERROR_MALFORMED);
}

static void
test_warnings_capped (void)
{
  g_autoptr (GString) xml = g_string_new ("<clientConfig><emailProvider>");
  g_autoptr (MailAutoconfigResult) result = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append (xml, "<incomingServer type='jmap'/>");
  g_string_append (xml, "</emailProvider></clientConfig>");

  result = parse_ok (xml->str);
  g_assert_cmpuint (result->warnings->len, ==, 65);
  g_assert_true (has_warning (result, "436 further warnings"));
}

int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: the parser touches no directories, and GLib 2.74 leaks
   * the isolated paths of each test case, which fails the ASan build. */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/autoconfig/parser/provider-file", test_provider_file);
  g_test_add_func ("/mail/autoconfig/parser/invalid-sections", test_invalid_sections);
  g_test_add_func ("/mail/autoconfig/parser/idn-and-no-address", test_idn_and_no_address);
  g_test_add_func ("/mail/autoconfig/parser/links", test_links);
  g_test_add_func ("/mail/autoconfig/parser/pop3-hints", test_pop3_hints);
  g_test_add_func ("/mail/autoconfig/parser/too-large", test_too_large);
  g_test_add_func ("/mail/autoconfig/parser/malformed", test_malformed);
  g_test_add_func ("/mail/autoconfig/parser/empty-config", test_empty_config);
  g_test_add_func ("/mail/autoconfig/parser/doctype", test_doctype);
  g_test_add_func ("/mail/autoconfig/parser/warnings-capped", test_warnings_capped);

  return g_test_run ();
}
