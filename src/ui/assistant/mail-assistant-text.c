/* mail-assistant-text.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The assistant's plain-language sentences about detection results: where a setting came
 * from, how a connection is secured, what the detection is doing right now and why it did
 * not work. Kept apart from the widgets so every page says the same thing the same way.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-assistant-text.h"
#include "mail-net-error.h"

/**
 * mail_assistant_host_for_display:
 * @host: a host name as used on the wire (ASCII, IDNA)
 *
 * Returns: (transfer full): @host in Unicode, for people
 */
char *
mail_assistant_host_for_display (const char *host)
{
  char *unicode;

  g_return_val_if_fail (host != NULL, NULL);

  unicode = g_hostname_to_unicode (host);

  return unicode != NULL ? unicode : g_strdup (host);
}

/**
 * mail_assistant_security_label:
 * @security: how a connection is secured
 *
 * Returns: (transfer none): "encrypted (TLS)", "encrypted (STARTTLS)" or "not encrypted"
 */
const char *
mail_assistant_security_label (MailSecurity security)
{
  switch (security)
    {
    case MAIL_SECURITY_TLS:
      return _("encrypted (TLS)");
    case MAIL_SECURITY_STARTTLS:
      return _("encrypted (STARTTLS)");
    case MAIL_SECURITY_NONE:
    default:
      return _("not encrypted");
    }
}

/**
 * mail_assistant_describe_server:
 * @candidate: a candidate
 *
 * Returns: (transfer full): "IMAP at mail.example.com"
 */
char *
mail_assistant_describe_server (const MailAutoconfigCandidate *candidate)
{
  g_autofree char *host = mail_assistant_host_for_display (candidate->host);

  /* Translators: "IMAP at mail.example.com". */
  return g_strdup_printf (_("%s at %s"), mail_protocol_to_display_name (candidate->protocol), host);
}

/**
 * mail_assistant_describe_details:
 * @candidate: a candidate
 *
 * Returns: (transfer full): "Encrypted (TLS), port 993 · Signed in successfully"
 */
char *
mail_assistant_describe_details (const MailAutoconfigCandidate *candidate)
{
  g_autofree char *security = g_strdup (mail_assistant_security_label (candidate->security));
  const char *state;

  security[0] = g_ascii_toupper (security[0]);

  if (candidate->verified)
    state = _("Signed in successfully");
  else if (candidate->error_category == MAIL_ERROR_CATEGORY_AUTH_FAILED)
    state = _("The password was not accepted");
  else if (candidate->probed && candidate->reachable)
    state = _("The server answered; not signed in yet");
  else if (candidate->probed)
    state = _("The server could not be reached");
  else
    state = _("Not tested");

  /* Translators: "Encrypted (TLS), port 993 · Signed in successfully". */
  return g_strdup_printf (_("%s, port %u · %s"), security, candidate->port, state);
}

static char *
host_of_url (const char *url)
{
  g_autoptr (GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  return mail_assistant_host_for_display (g_uri_get_host (uri));
}

static gboolean
host_is_within (const char *host,
                const char *domain)
{
  gsize host_len, domain_len;

  if (host == NULL || domain == NULL)
    return FALSE;

  host_len = strlen (host);
  domain_len = strlen (domain);

  if (g_ascii_strcasecmp (host, domain) == 0)
    return TRUE;

  return host_len > domain_len && host[host_len - domain_len - 1] == '.' &&
         g_ascii_strcasecmp (host + host_len - domain_len, domain) == 0;
}

/**
 * mail_assistant_describe_source:
 * @candidate: a candidate
 * @domain: (nullable): the domain of the address, in Unicode
 *
 * Returns: (transfer full): where @candidate came from, such as "Settings published by
 *   example.com"
 */
char *
mail_assistant_describe_source (const MailAutoconfigCandidate *candidate,
                                const char                    *domain)
{
  g_autofree char *url_host = host_of_url (candidate->origin);
  const char *publisher;

  /* A file at autoconfig.example.com is published by example.com; a file elsewhere is
   * named by the host that served it, so the user sees who vouches for the settings. */
  if (url_host != NULL && !host_is_within (url_host, domain))
    publisher = url_host;
  else
    publisher = domain != NULL ? domain : url_host;

  switch (candidate->source)
    {
    case MAIL_AUTOCONFIG_SOURCE_LOCAL:
      return g_strdup (_("From a provider file on this computer"));
    case MAIL_AUTOCONFIG_SOURCE_HTTPS:
      return g_strdup_printf (_("Settings published by %s"), publisher);
    case MAIL_AUTOCONFIG_SOURCE_ISPDB:
      return g_strdup (_("From the Thunderbird provider database"));
    case MAIL_AUTOCONFIG_SOURCE_MX:
      return g_strdup_printf (_("Settings of the provider that receives mail for %s (found "
                                "through its MX record)"), domain);
    case MAIL_AUTOCONFIG_SOURCE_SRV:
      return g_strdup_printf (_("Found in the DNS service records of %s"), domain);
    case MAIL_AUTOCONFIG_SOURCE_HTTP:
      return g_strdup_printf (_("Settings published by %s over an unencrypted connection"),
                              publisher);
    case MAIL_AUTOCONFIG_SOURCE_GUESS:
      return g_strdup (_("Found by trying common server names"));
    case MAIL_AUTOCONFIG_SOURCE_CERTIFICATE:
      return g_strdup (_("Named by the server’s own certificate"));
    case MAIL_AUTOCONFIG_N_SOURCES:
    default:
      return g_strdup (_("Found by automatic setup"));
    }
}

/* The host of the first "host:port" word of @target, or NULL: the engine names servers
 * as "IMAP imap.example.com:993 (tls)" or "sign in to imap.example.com:993". */
static char *
find_server_host (const char *target)
{
  g_auto (GStrv) words = g_strsplit (target, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *colon = strrchr (words[i], ':');

      if (colon != NULL && colon != words[i] && colon[1] != '\0' &&
          strspn (colon + 1, "0123456789") == strlen (colon + 1))
        {
          g_autofree char *host = g_strndup (words[i], colon - words[i]);

          return mail_assistant_host_for_display (host);
        }
    }

  return NULL;
}

/**
 * mail_assistant_describe_step:
 * @step: a step of the detection that just ended
 * @domain: the domain of the address, in Unicode
 *
 * Returns: (transfer full): what the detection is busy with, for the progress page
 */
char *
mail_assistant_describe_step (const MailAutoconfigStep *step,
                              const char               *domain)
{
  const char *target = step->target != NULL ? step->target : "";
  g_autofree char *server = NULL;

  if (strstr (target, "://") != NULL)
    {
      g_autofree char *host = host_of_url (target);

      switch (step->source)
        {
        case MAIL_AUTOCONFIG_SOURCE_ISPDB:
          return g_strdup (_("Looking in the Thunderbird provider database…"));
        case MAIL_AUTOCONFIG_SOURCE_MX:
          if (host != NULL && !host_is_within (host, domain))
            return g_strdup_printf (_("Looking at the settings of %s…"), host);
          G_GNUC_FALLTHROUGH;
        case MAIL_AUTOCONFIG_SOURCE_LOCAL:
        case MAIL_AUTOCONFIG_SOURCE_HTTPS:
        case MAIL_AUTOCONFIG_SOURCE_SRV:
        case MAIL_AUTOCONFIG_SOURCE_HTTP:
        case MAIL_AUTOCONFIG_SOURCE_GUESS:
        case MAIL_AUTOCONFIG_SOURCE_CERTIFICATE:
        case MAIL_AUTOCONFIG_N_SOURCES:
        default:
          /* Translators: "Looking at example.com’s settings…". */
          return g_strdup_printf (_("Looking at %s’s settings…"), domain);
        }
    }

  server = find_server_host (target);
  if (server != NULL && g_str_has_prefix (target, "sign in"))
    return g_strdup_printf (_("Signing in to %s…"), server);
  if (server != NULL)
    return g_strdup_printf (_("Trying %s…"), server);

  switch (step->source)
    {
    case MAIL_AUTOCONFIG_SOURCE_LOCAL:
      return g_strdup (_("Checking the provider files on this computer…"));
    case MAIL_AUTOCONFIG_SOURCE_ISPDB:
      return g_strdup (_("Looking in the Thunderbird provider database…"));
    case MAIL_AUTOCONFIG_SOURCE_MX:
    case MAIL_AUTOCONFIG_SOURCE_SRV:
      return g_strdup_printf (_("Reading the DNS records of %s…"), domain);
    case MAIL_AUTOCONFIG_SOURCE_HTTPS:
    case MAIL_AUTOCONFIG_SOURCE_HTTP:
    case MAIL_AUTOCONFIG_SOURCE_GUESS:
    case MAIL_AUTOCONFIG_SOURCE_CERTIFICATE:
    case MAIL_AUTOCONFIG_N_SOURCES:
    default:
      return g_strdup_printf (_("Looking for the mail servers of %s…"), domain);
    }
}

/**
 * mail_assistant_linkify:
 * @text: plain text, such as a provider's instruction
 *
 * Returns: (transfer full): @text as Pango markup, with every http and https address a link
 */
char *
mail_assistant_linkify (const char *text)
{
  static GRegex *url_regex;
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (g_once_init_enter (&url_regex))
    g_once_init_leave (&url_regex, g_regex_new ("https?://[^\\s<>\"')]+", G_REGEX_OPTIMIZE, 0,
                                                NULL));

  return g_regex_replace (url_regex, escaped, -1, 0, "<a href=\"\\0\">\\0</a>", 0, NULL);
}

void
mail_assistant_problem_free (MailAssistantProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->title);
  g_free (problem->description);
  g_free (problem);
}

/* The candidate a failure of @category is about: the first incoming, then the first
 * outgoing one that failed that way, then the first server the engine rejected for it
 * (which carries the refused certificate). */
static const MailAutoconfigCandidate *
find_failed (const MailAutoconfigReport *report,
             MailErrorCategory           category,
             gboolean                    incoming_first)
{
  GPtrArray *lists[3] = { report->incoming, report->outgoing, report->rejected };

  if (!incoming_first)
    {
      lists[0] = report->outgoing;
      lists[1] = report->incoming;
    }

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const MailAutoconfigCandidate *candidate = g_ptr_array_index (lists[l], i);

        if (candidate->error_category == category)
          return candidate;
      }

  return NULL;
}

static char *
join_certificate_problems (MailCertificateInfo *info)
{
  g_auto (GStrv) problems = mail_certificate_info_dup_problems (info);

  if (problems == NULL || problems[0] == NULL)
    return g_strdup (_("it is not trusted"));

  return g_strjoinv ("; ", problems);
}

static MailAssistantProblem *
problem_new (MailErrorCategory    category,
             const char          *server,
             const char          *domain,
             const char          *address,
             const char          *detail,
             MailCertificateInfo *certificate)
{
  MailAssistantProblem *problem = g_new0 (MailAssistantProblem, 1);
  const char *where = server != NULL ? server : domain;

  problem->category = category;

  switch (category)
    {
    case MAIL_ERROR_CATEGORY_AUTH_FAILED:
      problem->title = g_strdup (_("Password Not Accepted"));
      problem->description = g_strdup_printf (
          _("%s did not accept the password for %s. Check the password and try again. If your "
            "provider uses two-step sign-in, create an app password on its website and use "
            "that instead."), where, address);
      problem->icon_name = "dialog-password-symbolic";
      problem->retry_form = TRUE;
      break;

    case MAIL_ERROR_CATEGORY_APP_PASSWORD:
      problem->title = g_strdup (_("App Password or Mail Access Needed"));
      problem->description = g_strdup_printf (
          _("%s does not let mail apps sign in with your usual password. Turn on mail access "
            "or create an app password on the provider’s website, then try again with that "
            "password."), where);
      problem->icon_name = "dialog-password-symbolic";
      problem->retry_form = TRUE;
      break;

    case MAIL_ERROR_CATEGORY_TLS_CERTIFICATE:
      problem->title = g_strdup (_("Certificate Problem"));
      if (certificate != NULL)
        {
          g_autofree char *problems = join_certificate_problems (certificate);
          const char *fingerprint = mail_certificate_info_get_fingerprint (certificate);

          problem->description = g_strdup_printf (
              _("The certificate of %s could not be verified: %s. Its SHA-256 fingerprint is "
                "%s. Mail did not send your password to a server it cannot identify. Ask your "
                "provider or administrator whether this is the right fingerprint."),
              where, problems, fingerprint != NULL ? fingerprint : _("unknown"));
        }
      else if (detail != NULL)
        problem->description = g_strdup_printf (
            _("%s Mail did not send your password to a server it cannot identify."), detail);
      else
        problem->description = g_strdup_printf (
            _("The certificate of %s could not be verified, so Mail did not send your "
              "password to it."), where);
      problem->icon_name = "channel-insecure-symbolic";
      break;

    case MAIL_ERROR_CATEGORY_NETWORK:
      problem->title = g_strdup (_("Could Not Connect"));
      problem->description = g_strdup_printf (
          _("Mail could not reach %s. Check your internet connection and try again."), where);
      problem->icon_name = "network-offline-symbolic";
      break;

    case MAIL_ERROR_CATEGORY_TIMEOUT:
      problem->title = g_strdup (_("No Answer in Time"));
      problem->description = g_strdup_printf (
          _("%s did not answer in time. The server may be busy or your connection slow; try "
            "again in a moment."), where);
      problem->icon_name = "network-offline-symbolic";
      break;

    case MAIL_ERROR_CATEGORY_TLS_REQUIRED:
    case MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE:
      problem->title = g_strdup (_("No Encrypted Connection"));
      problem->description = g_strdup_printf (
          _("%s offers no encrypted connection, so Mail did not send your password to it. "
            "If you still want to use this server, set it up manually."), where);
      problem->icon_name = "channel-insecure-symbolic";
      break;

    case MAIL_ERROR_CATEGORY_NOT_FOUND:
      problem->title = g_strdup (_("No Settings Found"));
      problem->description = g_strdup_printf (
          _("Mail could not find the mail servers of %s. Check the address for typing "
            "mistakes, or enter the servers your provider’s help pages list with Set Up "
            "Manually."), domain);
      problem->icon_name = "edit-find-symbolic";
      break;

    case MAIL_ERROR_CATEGORY_MISSING_CAPABILITY:
      problem->title = g_strdup (_("Server Not Supported"));
      problem->description = g_strdup_printf (
          _("%s lacks something Mail needs: %s"), where,
          detail != NULL ? detail : _("a sign-in method Mail supports."));
      problem->icon_name = "dialog-warning-symbolic";
      break;

    case MAIL_ERROR_CATEGORY_PROTOCOL:
    case MAIL_ERROR_CATEGORY_NONE:
    default:
      problem->title = g_strdup (_("Setup Did Not Work"));
      problem->description = g_strdup_printf (
          _("Something went wrong with %s: %s"), where,
          detail != NULL ? detail : _("the server gave an answer Mail could not use."));
      problem->icon_name = "dialog-warning-symbolic";
      break;
    }

  return problem;
}

static char *
domain_of (const char *address)
{
  g_autofree char *domain = NULL;
  const char *at;

  /* mail_address_parse() is not needed here: the form only continues with a valid one. */
  at = address != NULL ? strrchr (address, '@') : NULL;
  if (at == NULL)
    return g_strdup (address != NULL ? address : "");

  domain = g_utf8_strdown (at + 1, -1);

  return mail_assistant_host_for_display (g_strstrip (domain));
}

/**
 * mail_assistant_problem_from_report:
 * @report: a report that is not usable
 *
 * Returns: (transfer full): the problem to show: the incoming side's when it failed,
 *   otherwise the outgoing side's
 */
MailAssistantProblem *
mail_assistant_problem_from_report (const MailAutoconfigReport *report)
{
  g_autofree char *domain = domain_of (report->address);
  g_autofree char *server = NULL;
  const MailAutoconfigCandidate *candidate;
  const GError *error;
  MailErrorCategory category;
  gboolean incoming = TRUE;

  if (report->incoming_error != NULL || report->incoming->len == 0)
    {
      error = report->incoming_error;
      category = report->incoming_category;
    }
  else
    {
      error = report->outgoing_error;
      category = report->outgoing_category;
      incoming = FALSE;
    }

  if (category == MAIL_ERROR_CATEGORY_NONE &&
      report->incoming->len == 0 && report->outgoing->len == 0)
    category = MAIL_ERROR_CATEGORY_NOT_FOUND;

  candidate = find_failed (report, category, incoming);
  if (candidate == NULL)
    {
      GPtrArray *list = incoming ? report->incoming : report->outgoing;

      if (list->len > 0)
        candidate = g_ptr_array_index (list, 0);
    }
  if (candidate != NULL)
    server = mail_assistant_host_for_display (candidate->host);

  return problem_new (category, server, domain, report->address,
                      candidate != NULL && candidate->error_message != NULL
                        ? candidate->error_message
                        : (error != NULL ? error->message : NULL),
                      candidate != NULL ? candidate->certificate : NULL);
}

/**
 * mail_assistant_problem_from_error:
 * @error: why the detection itself failed
 * @address: the address it was run for
 *
 * Returns: (transfer full): the problem to show
 */
MailAssistantProblem *
mail_assistant_problem_from_error (const GError *error,
                                   const char   *address)
{
  g_autofree char *domain = domain_of (address);
  MailAssistantProblem *problem;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      problem = g_new0 (MailAssistantProblem, 1);
      problem->title = g_strdup (_("Automatic Setup Not Available"));
      problem->description = g_strdup (
          _("This version of Mail cannot look up server settings yet. Enter them with Set Up "
            "Manually."));
      problem->icon_name = "dialog-information-symbolic";
      problem->category = MAIL_ERROR_CATEGORY_NONE;
      return problem;
    }

  return problem_new (mail_error_categorize (error), NULL, domain, address, error->message, NULL);
}

/**
 * mail_assistant_problem_from_check:
 * @result: a failed sign-in to a server the user approved
 * @username: the user name it signed in with
 * @address: the address of the account
 *
 * Returns: (transfer full): the problem to show, naming the server
 */
MailAssistantProblem *
mail_assistant_problem_from_check (const MailServerCheckResult *result,
                                   const char                  *username,
                                   const char                  *address)
{
  g_autofree char *domain = domain_of (address);
  g_autofree char *server = mail_assistant_host_for_display (result->host);
  MailErrorCategory category = result->category;

  if (category == MAIL_ERROR_CATEGORY_NONE && result->error != NULL)
    category = mail_error_categorize (result->error);

  return problem_new (category, server, domain, username != NULL ? username : address,
                      result->message != NULL ? result->message
                        : (result->error != NULL ? result->error->message : NULL),
                      result->certificate);
}
