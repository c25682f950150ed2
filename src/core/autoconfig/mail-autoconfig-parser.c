/* mail-autoconfig-parser.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A parser for Thunderbird's config-v1.1 autoconfig format, as served by the ISPDB and by
 * providers at autoconfig.<domain>/mail/config-v1.1.xml. It is pure (bytes in, struct
 * out) so that it can be fuzzed, and it uses GMarkup rather than a full XML parser:
 * GMarkup knows no DTDs, so nothing is ever fetched and no entity is ever expanded. A
 * document type or entity declaration is refused outright.
 *
 * The parser is lenient where leniency is safe, as Thunderbird is: unknown elements and
 * server types are ignored, one invalid server section is dropped without losing the
 * others, deprecated values are read with a warning. It is strict about what could
 * weaken security: a server without a known socketType is dropped, never assumed plain.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-autoconfig-parser.h"

/* Longest text of one element; hostnames, ports and user names are far shorter, and this
 * keeps one element from holding the whole document. */
#define MAX_TEXT_LENGTH (64 * 1024)

/* Beyond this, further warnings are counted in one last warning. */
#define MAX_WARNINGS 64

typedef struct
{
  MailAutoconfigResult *result;

  char                 *email_address;
  char                 *local_part;
  char                 *domain;

  GMarkupParseContext  *context;

  /* Names of the open elements the parser understands; those it ignores are counted in
   * skip_depth, together with everything inside them. */
  GPtrArray            *stack;
  guint                 skip_depth;

  GString              *text;
  gboolean              capturing;
  gboolean              text_too_long;
  char                 *text_lang;

  gboolean              seen_provider;

  MailAutoconfigServer *server;
  gboolean              server_incoming;
  int                   server_line;
  char                 *port_text;
  char                 *socket_text;
  gboolean              seen_hostname;
  gboolean              seen_username;

  MailAutoconfigLink   *link;
  gboolean              link_is_enable;

  guint                 n_dropped_warnings;
} ParseState;

static const char *auth_names[] = {
  [MAIL_AUTOCONFIG_AUTH_PASSWORD_CLEARTEXT] = "password-cleartext",
  [MAIL_AUTOCONFIG_AUTH_PASSWORD_ENCRYPTED] = "password-encrypted",
  [MAIL_AUTOCONFIG_AUTH_OAUTH2] = "OAuth2",
  [MAIL_AUTOCONFIG_AUTH_GSSAPI] = "GSSAPI",
  [MAIL_AUTOCONFIG_AUTH_NTLM] = "NTLM",
  [MAIL_AUTOCONFIG_AUTH_TLS_CLIENT_CERT] = "TLS-client-cert",
  [MAIL_AUTOCONFIG_AUTH_CLIENT_IP_ADDRESS] = "client-IP-address",
  [MAIL_AUTOCONFIG_AUTH_SMTP_AFTER_POP] = "smtp-after-pop",
  [MAIL_AUTOCONFIG_AUTH_NONE] = "none",
};

/**
 * mail_autoconfig_auth_to_string:
 * @auth: an authentication method
 *
 * Returns: the config-v1.1 name of @auth, such as "password-cleartext"
 */
const char *
mail_autoconfig_auth_to_string (MailAutoconfigAuth auth)
{
  g_return_val_if_fail ((guint) auth < G_N_ELEMENTS (auth_names), NULL);

  return auth_names[auth];
}

static void
server_free (gpointer data)
{
  MailAutoconfigServer *server = data;

  if (server == NULL)
    return;

  g_free (server->hostname);
  g_free (server->username);
  g_clear_pointer (&server->auth_methods, g_array_unref);
  g_free (server);
}

static void
text_free (gpointer data)
{
  MailAutoconfigText *text = data;

  g_free (text->lang);
  g_free (text->text);
  g_free (text);
}

static void
link_free (gpointer data)
{
  MailAutoconfigLink *link = data;

  if (link == NULL)
    return;

  g_free (link->url);
  g_clear_pointer (&link->texts, g_ptr_array_unref);
  g_free (link);
}

/**
 * mail_autoconfig_result_free:
 * @result: (transfer full): a result of mail_autoconfig_parse()
 *
 * Frees @result and everything in it.
 */
void
mail_autoconfig_result_free (MailAutoconfigResult *result)
{
  if (result == NULL)
    return;

  g_free (result->provider_id);
  g_clear_pointer (&result->domains, g_ptr_array_unref);
  g_free (result->display_name);
  g_free (result->display_short_name);
  g_clear_pointer (&result->incoming_servers, g_ptr_array_unref);
  g_clear_pointer (&result->outgoing_servers, g_ptr_array_unref);
  g_clear_pointer (&result->instructions, g_ptr_array_unref);
  g_clear_pointer (&result->documentation, g_ptr_array_unref);
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
  g_free (result);
}

static MailAutoconfigResult *
result_new (void)
{
  MailAutoconfigResult *result = g_new0 (MailAutoconfigResult, 1);

  result->domains = g_ptr_array_new_with_free_func (g_free);
  result->incoming_servers = g_ptr_array_new_with_free_func (server_free);
  result->outgoing_servers = g_ptr_array_new_with_free_func (server_free);
  result->instructions = g_ptr_array_new_with_free_func (link_free);
  result->documentation = g_ptr_array_new_with_free_func (link_free);
  result->warnings = g_ptr_array_new_with_free_func (g_free);

  return result;
}

static void add_warning (ParseState *state,
                         const char *format,
                         ...) G_GNUC_PRINTF (2, 3);

static void
add_warning (ParseState *state,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  int line = 0;
  va_list args;

  if (state->result->warnings->len >= MAX_WARNINGS)
    {
      state->n_dropped_warnings++;
      return;
    }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_markup_parse_context_get_position (state->context, &line, NULL);
  g_ptr_array_add (state->result->warnings, g_strdup_printf ("Line %d: %s", line, message));
}

/* Replaces %EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN% anywhere in @text, as
 * Thunderbird does. Without an address, the text is kept as it is. */
static char *
substitute (ParseState *state,
            const char *text)
{
  static const struct
  {
    const char *name;
    gsize       offset;
  } placeholders[] = {
    { "%EMAILADDRESS%", G_STRUCT_OFFSET (ParseState, email_address) },
    { "%EMAILLOCALPART%", G_STRUCT_OFFSET (ParseState, local_part) },
    { "%EMAILDOMAIN%", G_STRUCT_OFFSET (ParseState, domain) },
  };
  GString *out;
  const char *p = text;

  if (state->email_address == NULL || strchr (text, '%') == NULL)
    return g_strdup (text);

  out = g_string_sized_new (strlen (text));
  while (*p != '\0')
    {
      gboolean replaced = FALSE;

      if (*p == '%')
        {
          for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
            {
              gsize len = strlen (placeholders[i].name);

              if (strncmp (p, placeholders[i].name, len) == 0)
                {
                  g_string_append (out, G_STRUCT_MEMBER (char *, state, placeholders[i].offset));
                  p += len;
                  replaced = TRUE;
                  break;
                }
            }
        }

      if (!replaced)
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

static const char *
find_attribute (const char **names,
                const char **values,
                const char  *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (names[i], name) == 0)
      return values[i];

  return NULL;
}

static void
start_capture (ParseState *state)
{
  g_string_truncate (state->text, 0);
  state->capturing = TRUE;
  state->text_too_long = FALSE;
}

static void
start_server (ParseState  *state,
              gboolean     incoming,
              const char  *type)
{
  MailProtocol protocol;
  gboolean known;

  if (incoming)
    known = type != NULL && (strcmp (type, "imap") == 0 || strcmp (type, "pop3") == 0);
  else
    known = type != NULL && strcmp (type, "smtp") == 0;

  if (!known)
    {
      /* exchange, ews, owa, graph, jmap …: not something this client speaks. */
      add_warning (state, "Ignored %s server of type “%s”", incoming ? "incoming" : "outgoing",
                   type != NULL ? type : "(none)");
      return;
    }

  if (!mail_protocol_from_string (type, &protocol))
    g_assert_not_reached ();

  state->server = g_new0 (MailAutoconfigServer, 1);
  state->server->protocol = protocol;
  state->server->auth_methods = g_array_new (FALSE, FALSE, sizeof (MailAutoconfigAuth));
  state->server->pop3_hints.leave_messages_on_server = TRUE;
  state->server->pop3_hints.download_on_biff = TRUE;
  state->server->pop3_hints.days_to_leave_messages_on_server = 14;
  state->server_incoming = incoming;
  g_markup_parse_context_get_position (state->context, &state->server_line, NULL);
}

static gboolean
security_from_socket_type (ParseState   *state,
                           const char   *text,
                           MailSecurity *security)
{
  static const struct
  {
    const char  *name;
    MailSecurity security;
  } socket_types[] = {
    { "SSL", MAIL_SECURITY_TLS },
    { "STARTTLS", MAIL_SECURITY_STARTTLS },
    { "plain", MAIL_SECURITY_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (socket_types); i++)
    {
      if (strcmp (text, socket_types[i].name) == 0)
        {
          *security = socket_types[i].security;
          return TRUE;
        }
      if (g_ascii_strcasecmp (text, socket_types[i].name) == 0)
        {
          add_warning (state, "Read socketType “%s” as “%s”", text, socket_types[i].name);
          *security = socket_types[i].security;
          return TRUE;
        }
    }

  /* "TLS" and "none" are not config-v1.1, but appear in hand-written files. "TLS" is read
   * as implicit TLS (RFC 8314): if a provider meant STARTTLS, the connection fails
   * rather than falling back to plaintext. */
  if (mail_security_from_string (text, security))
    {
      add_warning (state, "Read non-standard socketType “%s” as “%s”", text,
                   mail_security_to_string (*security));
      return TRUE;
    }

  return FALSE;
}

static gboolean
hostname_is_plausible (const char *hostname)
{
  gsize len = strlen (hostname);

  if (len == 0 || len > 255)
    return FALSE;

  /* Kept as given, ASCII or Unicode; only what can never be part of a host name is
   * refused here. */
  for (const char *p = hostname; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c == 0x7f || strchr ("/\\@?#%<>\"", c) != NULL)
        return FALSE;
    }

  return TRUE;
}

static void
finish_server (ParseState *state)
{
  MailAutoconfigServer *server = g_steal_pointer (&state->server);
  g_autofree char *port_text = g_steal_pointer (&state->port_text);
  g_autofree char *socket_text = g_steal_pointer (&state->socket_text);
  const char *what = mail_protocol_to_string (server->protocol);
  const char *problem = NULL;
  guint64 port = 0;

  if (server->hostname == NULL || server->hostname[0] == '\0')
    problem = "no hostname";
  else if (!hostname_is_plausible (server->hostname))
    problem = "an invalid hostname";
  else if (port_text == NULL || port_text[0] == '\0')
    problem = "no port";
  else if (!g_ascii_string_to_unsigned (port_text, 10, 1, G_MAXUINT16, &port, NULL))
    problem = "an invalid port";
  else if (socket_text == NULL)
    problem = "no socketType";
  else if (!security_from_socket_type (state, socket_text, &server->security))
    problem = "an unknown socketType";

  if (problem != NULL)
    {
      add_warning (state, "Dropped the %s server section from line %d: it has %s", what,
                   state->server_line, problem);
      server_free (server);
      return;
    }

  server->port = (guint16) port;
  g_ptr_array_add (state->server_incoming ? state->result->incoming_servers
                                          : state->result->outgoing_servers,
                   server);
}

static void
start_link (ParseState  *state,
            gboolean     is_enable,
            const char  *url)
{
  state->link = g_new0 (MailAutoconfigLink, 1);
  state->link->url = url != NULL ? substitute (state, url) : NULL;
  state->link->texts = g_ptr_array_new_with_free_func (text_free);
  state->link_is_enable = is_enable;
}

static gboolean
url_is_web (const char *url)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  return (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0)
         && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static void
finish_link (ParseState *state)
{
  MailAutoconfigLink *link = g_steal_pointer (&state->link);

  if (!url_is_web (link->url))
    {
      /* A javascript: or file: address is never offered to the user. */
      add_warning (state, "Dropped a %s section without a valid http(s) address",
                   state->link_is_enable ? "enable" : "documentation");
      link_free (link);
      return;
    }

  g_ptr_array_add (state->link_is_enable ? state->result->instructions
                                         : state->result->documentation,
                   link);
}

static void
set_once (ParseState  *state,
          char       **field,
          const char  *element,
          char        *value)
{
  if (*field != NULL)
    {
      add_warning (state, "Ignored a second <%s>", element);
      g_free (value);
      return;
    }

  *field = value;
}

static void
read_boolean (ParseState *state,
              const char *element,
              const char *value,
              gboolean   *out)
{
  if (strcmp (value, "true") == 0)
    *out = TRUE;
  else if (strcmp (value, "false") == 0)
    *out = FALSE;
  else
    add_warning (state, "Ignored <%s> with a value that is not true or false", element);
}

static void
read_auth (ParseState *state,
           const char *value)
{
  MailAutoconfigAuth auth = 0;
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (auth_names); i++)
    if (g_ascii_strcasecmp (value, auth_names[i]) == 0)
      {
        auth = (MailAutoconfigAuth) i;
        found = TRUE;
        break;
      }

  if (!found && g_ascii_strcasecmp (value, "plain") == 0)
    {
      add_warning (state, "Read deprecated authentication “plain” as “password-cleartext”");
      auth = MAIL_AUTOCONFIG_AUTH_PASSWORD_CLEARTEXT;
      found = TRUE;
    }
  else if (!found && g_ascii_strcasecmp (value, "secure") == 0)
    {
      add_warning (state, "Read deprecated authentication “secure” as “password-encrypted”");
      auth = MAIL_AUTOCONFIG_AUTH_PASSWORD_ENCRYPTED;
      found = TRUE;
    }

  if (!found)
    {
      add_warning (state, "Ignored unknown authentication “%s”", value);
      return;
    }

  for (guint i = 0; i < state->server->auth_methods->len; i++)
    if (g_array_index (state->server->auth_methods, MailAutoconfigAuth, i) == auth)
      return;

  g_array_append_val (state->server->auth_methods, auth);
}

/* Returns whether the element is one the parser reads; the others are skipped with
 * everything inside them. */
static gboolean
handle_start (ParseState   *state,
              const char   *parent,
              const char   *name,
              const char  **attribute_names,
              const char  **attribute_values,
              GError      **error)
{
  if (parent == NULL)
    {
      if (strcmp (name, "clientConfig") != 0)
        {
          g_set_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_AUTOCONFIG,
                       _("The document is not an autoconfig file: its root element is <%s>, "
                       "not <clientConfig>"), name);
          return FALSE;
        }
      return TRUE;
    }

  if (strcmp (parent, "clientConfig") == 0 || strcmp (parent, "emailProvider") == 0)
    {
      gboolean in_provider = strcmp (parent, "emailProvider") == 0;

      if (!in_provider && strcmp (name, "emailProvider") == 0)
        {
          const char *id = find_attribute (attribute_names, attribute_values, "id");

          if (state->seen_provider)
            {
              add_warning (state, "Ignored a second <emailProvider>");
              return FALSE;
            }
          state->seen_provider = TRUE;
          if (id != NULL)
            state->result->provider_id = substitute (state, id);
          return TRUE;
        }

      if (strcmp (name, "enable") == 0 || strcmp (name, "documentation") == 0)
        {
          gboolean is_enable = name[0] == 'e';

          start_link (state, is_enable,
                      find_attribute (attribute_names, attribute_values,
                                      is_enable ? "visiturl" : "url"));
          return TRUE;
        }

      if (in_provider
          && (strcmp (name, "domain") == 0 || strcmp (name, "displayName") == 0
              || strcmp (name, "displayShortName") == 0))
        {
          start_capture (state);
          return TRUE;
        }

      if (in_provider
          && (strcmp (name, "incomingServer") == 0 || strcmp (name, "outgoingServer") == 0))
        {
          start_server (state, name[0] == 'i',
                        find_attribute (attribute_names, attribute_values, "type"));
          return state->server != NULL;
        }

      return FALSE;
    }

  if (strcmp (parent, "incomingServer") == 0 || strcmp (parent, "outgoingServer") == 0)
    {
      if (strcmp (name, "hostname") == 0 || strcmp (name, "port") == 0
          || strcmp (name, "socketType") == 0 || strcmp (name, "username") == 0
          || strcmp (name, "authentication") == 0)
        {
          start_capture (state);
          return TRUE;
        }

      if (strcmp (name, "pop3") == 0 && state->server->protocol == MAIL_PROTOCOL_POP3)
        {
          state->server->has_pop3_hints = TRUE;
          return TRUE;
        }

      return FALSE;
    }

  if (strcmp (parent, "pop3") == 0)
    {
      if (strcmp (name, "leaveMessagesOnServer") == 0 || strcmp (name, "downloadOnBiff") == 0
          || strcmp (name, "daysToLeaveMessagesOnServer") == 0)
        {
          start_capture (state);
          return TRUE;
        }

      if (strcmp (name, "checkInterval") == 0)
        {
          const char *minutes = find_attribute (attribute_names, attribute_values, "minutes");
          guint64 value;

          if (minutes != NULL && g_ascii_string_to_unsigned (minutes, 10, 1, 7 * 24 * 60,
                                                             &value, NULL))
            state->server->pop3_hints.check_interval_minutes = (guint) value;
          else
            add_warning (state, "Ignored <checkInterval> without a valid minutes attribute");
          return FALSE;
        }

      return FALSE;
    }

  if ((strcmp (parent, "enable") == 0 && strcmp (name, "instruction") == 0)
      || (strcmp (parent, "documentation") == 0 && strcmp (name, "descr") == 0))
    {
      const char *lang = find_attribute (attribute_names, attribute_values, "lang");

      g_free (state->text_lang);
      state->text_lang = g_strdup (lang);
      start_capture (state);
      return TRUE;
    }

  return FALSE;
}

static void
handle_text_end (ParseState *state,
                 const char *name)
{
  g_autofree char *value = NULL;

  state->capturing = FALSE;

  if (state->text_too_long)
    {
      add_warning (state, "Ignored <%s>: its text is too long", name);
      return;
    }

  value = g_strstrip (substitute (state, state->text->str));

  if (strcmp (name, "domain") == 0)
    {
      if (*value != '\0')
        g_ptr_array_add (state->result->domains, g_steal_pointer (&value));
    }
  else if (strcmp (name, "displayName") == 0)
    set_once (state, &state->result->display_name, name, g_steal_pointer (&value));
  else if (strcmp (name, "displayShortName") == 0)
    set_once (state, &state->result->display_short_name, name, g_steal_pointer (&value));
  else if (strcmp (name, "hostname") == 0)
    set_once (state, &state->server->hostname, name, g_steal_pointer (&value));
  else if (strcmp (name, "port") == 0)
    set_once (state, &state->port_text, name, g_steal_pointer (&value));
  else if (strcmp (name, "socketType") == 0)
    set_once (state, &state->socket_text, name, g_steal_pointer (&value));
  else if (strcmp (name, "username") == 0)
    {
      if (strchr (value, '%') != NULL && state->email_address != NULL)
        add_warning (state, "The user name “%s” has a “%%” that is not a known placeholder",
                     value);
      set_once (state, &state->server->username, name, g_steal_pointer (&value));
    }
  else if (strcmp (name, "authentication") == 0)
    read_auth (state, value);
  else if (strcmp (name, "leaveMessagesOnServer") == 0)
    read_boolean (state, name, value, &state->server->pop3_hints.leave_messages_on_server);
  else if (strcmp (name, "downloadOnBiff") == 0)
    read_boolean (state, name, value, &state->server->pop3_hints.download_on_biff);
  else if (strcmp (name, "daysToLeaveMessagesOnServer") == 0)
    {
      guint64 days;

      if (g_ascii_string_to_unsigned (value, 10, 0, 100000, &days, NULL))
        state->server->pop3_hints.days_to_leave_messages_on_server = (guint) days;
      else
        add_warning (state, "Ignored <%s> with an invalid number of days", name);
    }
  else if (strcmp (name, "instruction") == 0 || strcmp (name, "descr") == 0)
    {
      if (*value != '\0')
        {
          MailAutoconfigText *text = g_new0 (MailAutoconfigText, 1);

          text->lang = g_steal_pointer (&state->text_lang);
          text->text = g_steal_pointer (&value);
          g_ptr_array_add (state->link->texts, text);
        }
    }
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  ParseState *state = user_data;
  const char *parent;

  if (state->skip_depth > 0)
    {
      state->skip_depth++;
      return;
    }

  parent = state->stack->len > 0 ? g_ptr_array_index (state->stack, state->stack->len - 1)
                                 : NULL;

  /* Every element the parser reads holds either elements or text, never both. */
  if (state->capturing)
    {
      state->skip_depth = 1;
      return;
    }

  if (!handle_start (state, parent, element_name, attribute_names, attribute_values, error))
    {
      if (error == NULL || *error == NULL)
        state->skip_depth = 1;
      return;
    }

  g_ptr_array_add (state->stack, g_strdup (element_name));
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  ParseState *state = user_data;

  if (state->skip_depth > 0)
    {
      state->skip_depth--;
      return;
    }

  g_ptr_array_remove_index (state->stack, state->stack->len - 1);

  if (state->capturing)
    handle_text_end (state, element_name);
  else if (strcmp (element_name, "incomingServer") == 0
           || strcmp (element_name, "outgoingServer") == 0)
    finish_server (state);
  else if (strcmp (element_name, "enable") == 0 || strcmp (element_name, "documentation") == 0)
    finish_link (state);
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;

  if (!state->capturing || state->skip_depth > 0 || state->text_too_long)
    return;

  if (state->text->len + text_len > MAX_TEXT_LENGTH)
    {
      state->text_too_long = TRUE;
      return;
    }

  g_string_append_len (state->text, text, text_len);
}

static void
passthrough_cb (GMarkupParseContext  *context,
                const char           *passthrough_text,
                gsize                 text_len,
                gpointer              user_data,
                GError              **error)
{
  /* The XML declaration, processing instructions and comments are harmless. Anything
   * else starting with "<!" is a document type or entity declaration: GMarkup would not
   * expand it, but a configuration file has no use for one, so it is refused. */
  if (text_len >= 2 && passthrough_text[0] == '<' && passthrough_text[1] == '?')
    return;
  if (text_len >= 4 && strncmp (passthrough_text, "<!--", 4) == 0)
    return;

  g_set_error_literal (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_FORBIDDEN,
                       _("The document has a document type or entity declaration, which "
                       "autoconfig files must not have"));
}

static void
parse_state_clear (ParseState *state)
{
  g_free (state->email_address);
  g_free (state->local_part);
  g_free (state->domain);
  g_clear_pointer (&state->stack, g_ptr_array_unref);
  if (state->text != NULL)
    g_string_free (state->text, TRUE);
  g_free (state->text_lang);
  server_free (state->server);
  g_free (state->port_text);
  g_free (state->socket_text);
  link_free (state->link);
  g_clear_pointer (&state->result, mail_autoconfig_result_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ParseState, parse_state_clear)

static const GMarkupParser parser = {
  start_element_cb,
  end_element_cb,
  text_cb,
  passthrough_cb,
  NULL,
};

/**
 * mail_autoconfig_parse:
 * @data: (array length=length): a config-v1.1 document
 * @length: the length of @data in bytes, or -1 when it is nul-terminated
 * @email_address: (nullable): the user's address, for the `%EMAILADDRESS%`,
 *   `%EMAILLOCALPART%` and `%EMAILDOMAIN%` placeholders; with %NULL they are kept as is
 * @error: return location for a #GError
 *
 * Reads a Thunderbird autoconfig (config-v1.1) document. Documents larger than
 * %MAIL_AUTOCONFIG_PARSER_MAX_SIZE, not UTF-8, not well-formed, or with a DTD are
 * refused; inside a well-formed `<clientConfig>` the parser is lenient and reports what
 * it ignored in the result's warnings.
 *
 * Returns: (transfer full): the result, or %NULL with @error set (%MAIL_AUTOCONFIG_ERROR)
 */
MailAutoconfigResult *
mail_autoconfig_parse (const char  *data,
                       gssize       length,
                       const char  *email_address,
                       GError     **error)
{
  g_auto (ParseState) state = { 0 };
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *end = NULL;
  gsize size;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (email_address == NULL || g_utf8_validate (email_address, -1, NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = length < 0 ? strlen (data) : (gsize) length;
  if (size > MAIL_AUTOCONFIG_PARSER_MAX_SIZE)
    {
      g_set_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
                   _("The configuration file is larger than %u bytes"),
                   (guint) MAIL_AUTOCONFIG_PARSER_MAX_SIZE);
      return NULL;
    }

  /* A UTF-8 byte order mark is allowed; GMarkup does not skip it. */
  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      size -= 3;
    }

  if (!g_utf8_validate (data, size, &end))
    {
      g_set_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_MALFORMED,
                   _("The configuration file is not valid UTF-8 (at byte %" G_GSIZE_FORMAT ")"),
                   (gsize) (end - data));
      return NULL;
    }

  state.result = result_new ();
  state.stack = g_ptr_array_new_with_free_func (g_free);
  state.text = g_string_new (NULL);
  if (email_address != NULL)
    {
      const char *at = strrchr (email_address, '@');

      state.email_address = g_strdup (email_address);
      state.local_part = at != NULL ? g_strndup (email_address, at - email_address)
                                    : g_strdup (email_address);
      state.domain = g_strdup (at != NULL ? at + 1 : "");
    }

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  state.context = context;

  if (!g_markup_parse_context_parse (context, data, size, &local_error)
      || !g_markup_parse_context_end_parse (context, &local_error))
    {
      if (local_error->domain == MAIL_AUTOCONFIG_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_MALFORMED,
                     _("The configuration file is not well-formed XML: %s"),
                     local_error->message);
      return NULL;
    }

  if (state.n_dropped_warnings > 0)
    g_ptr_array_add (state.result->warnings,
                     g_strdup_printf ("%u further warnings were left out",
                                      state.n_dropped_warnings));

  return g_steal_pointer (&state.result);
}
