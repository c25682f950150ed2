/* mail-account.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An account: who the user is (address, name, signature), the two servers and how to reach
 * them, the POP3 policy and the sync window. Its settings are one GKeyFile; its password is
 * only in the keyring (mail-account-secret.c), never in this object or its file.
 *
 * A MailAccount is a plain object of the thread that owns it; the manager hands copies to
 * its worker and takes them back when the work is done.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-account-private.h"
#include "mail-address.h"
#include "mail-certificate-info.h"

#define SETTINGS_VERSION 1

#define GROUP_ACCOUNT  "Account"
#define GROUP_INCOMING "Incoming"
#define GROUP_OUTGOING "Outgoing"
#define GROUP_POP3     "POP3"

struct _MailAccount
{
  GObject            parent_instance;

  char              *id;
  char              *address;
  char              *display_name;
  char              *signature;
  MailAccountServer *servers[2];
  guint              sync_window_days;
  gboolean           pop3_leave_on_server;
  guint              pop3_delete_after_days;
};

G_DEFINE_FINAL_TYPE (MailAccount, mail_account, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (MailAccountServer, mail_account_server, mail_account_server_copy,
                     mail_account_server_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_ADDRESS,
  PROP_DISPLAY_NAME,
  PROP_SIGNATURE,
  PROP_SYNC_WINDOW_DAYS,
  PROP_POP3_LEAVE_ON_SERVER,
  PROP_POP3_DELETE_AFTER_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Servers ---------------------------------------------------------------------------- */

/**
 * mail_account_server_new:
 * @protocol: the protocol
 * @host: the host name (ASCII form)
 * @port: the port, or 0 for the protocol's standard port with @security
 * @security: how the connection is secured
 *
 * Returns: (transfer full): a server signed in to with the password, without a user name
 *   yet
 */
MailAccountServer *
mail_account_server_new (MailProtocol  protocol,
                         const char   *host,
                         guint16       port,
                         MailSecurity  security)
{
  MailAccountServer *server = g_new0 (MailAccountServer, 1);

  server->protocol = protocol;
  server->host = g_strdup (host);
  server->port = port != 0 ? port : mail_protocol_default_port (protocol, security);
  server->security = security;
  server->auth = g_strdup (MAIL_ACCOUNT_AUTH_PASSWORD);

  return server;
}

/**
 * mail_account_server_copy:
 * @server: a server
 *
 * Returns: (transfer full): a copy of @server
 */
MailAccountServer *
mail_account_server_copy (const MailAccountServer *server)
{
  MailAccountServer *copy;

  g_return_val_if_fail (server != NULL, NULL);

  copy = g_memdup2 (server, sizeof *server);
  copy->host = g_strdup (server->host);
  copy->username = g_strdup (server->username);
  copy->auth = g_strdup (server->auth);
  copy->pinned_fingerprint = g_strdup (server->pinned_fingerprint);
  copy->pinned_pem = g_strdup (server->pinned_pem);
  copy->ca_file = g_strdup (server->ca_file);

  return copy;
}

void
mail_account_server_free (MailAccountServer *server)
{
  if (server == NULL)
    return;

  g_free (server->host);
  g_free (server->username);
  g_free (server->auth);
  g_free (server->pinned_fingerprint);
  g_free (server->pinned_pem);
  g_free (server->ca_file);
  g_free (server);
}

/**
 * mail_account_server_equal:
 * @a: a server
 * @b: another server
 *
 * Returns: whether every field of @a and @b is the same
 */
gboolean
mail_account_server_equal (const MailAccountServer *a,
                           const MailAccountServer *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->protocol == b->protocol && g_strcmp0 (a->host, b->host) == 0 &&
         a->port == b->port && a->security == b->security &&
         g_strcmp0 (a->username, b->username) == 0 && g_strcmp0 (a->auth, b->auth) == 0 &&
         a->allow_plaintext_password == b->allow_plaintext_password &&
         g_strcmp0 (a->pinned_fingerprint, b->pinned_fingerprint) == 0 &&
         g_strcmp0 (a->pinned_pem, b->pinned_pem) == 0 &&
         g_strcmp0 (a->ca_file, b->ca_file) == 0;
}

/* The object ------------------------------------------------------------------------- */

static void
mail_account_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MailAccount *self = MAIL_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_SIGNATURE:
      g_value_set_string (value, self->signature);
      break;
    case PROP_SYNC_WINDOW_DAYS:
      g_value_set_uint (value, self->sync_window_days);
      break;
    case PROP_POP3_LEAVE_ON_SERVER:
      g_value_set_boolean (value, self->pop3_leave_on_server);
      break;
    case PROP_POP3_DELETE_AFTER_DAYS:
      g_value_set_uint (value, self->pop3_delete_after_days);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_account_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MailAccount *self = MAIL_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_ADDRESS:
      mail_account_set_address (self, g_value_get_string (value));
      break;
    case PROP_DISPLAY_NAME:
      mail_account_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_SIGNATURE:
      mail_account_set_signature (self, g_value_get_string (value));
      break;
    case PROP_SYNC_WINDOW_DAYS:
      mail_account_set_sync_window_days (self, g_value_get_uint (value));
      break;
    case PROP_POP3_LEAVE_ON_SERVER:
      mail_account_set_pop3_leave_on_server (self, g_value_get_boolean (value));
      break;
    case PROP_POP3_DELETE_AFTER_DAYS:
      mail_account_set_pop3_delete_after_days (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_account_constructed (GObject *object)
{
  MailAccount *self = MAIL_ACCOUNT (object);

  G_OBJECT_CLASS (mail_account_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = g_uuid_string_random ();
}

static void
mail_account_finalize (GObject *object)
{
  MailAccount *self = MAIL_ACCOUNT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->signature, g_free);
  g_clear_pointer (&self->servers[MAIL_ACCOUNT_INCOMING], mail_account_server_free);
  g_clear_pointer (&self->servers[MAIL_ACCOUNT_OUTGOING], mail_account_server_free);

  G_OBJECT_CLASS (mail_account_parent_class)->finalize (object);
}

static void
mail_account_class_init (MailAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = mail_account_get_property;
  object_class->set_property = mail_account_set_property;
  object_class->constructed = mail_account_constructed;
  object_class->finalize = mail_account_finalize;

  /**
   * MailAccount:id:
   *
   * The account's stable identifier (a random UUID), which names its settings file,
   * its data directory and its keyring items. Never changes.
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MailAccount:address:
   *
   * The email address, which names the account for the user (one account per address).
   */
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  /**
   * MailAccount:display-name:
   *
   * The name shown to recipients (may be empty).
   */
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  /**
   * MailAccount:signature:
   *
   * Text added below new messages (may be empty).
   */
  properties[PROP_SIGNATURE] = g_param_spec_string ("signature", NULL, NULL, NULL, flags);
  /**
   * MailAccount:sync-window-days:
   *
   * How many days of recent mail get their bodies downloaded in the background; 0 for
   * all mail.
   */
  properties[PROP_SYNC_WINDOW_DAYS] =
    g_param_spec_uint ("sync-window-days", NULL, NULL, 0, MAIL_ACCOUNT_MAX_DAYS,
                       MAIL_ACCOUNT_DEFAULT_SYNC_WINDOW_DAYS, flags);
  /**
   * MailAccount:pop3-leave-on-server:
   *
   * For a POP3 account: whether downloaded messages stay on the server.
   */
  properties[PROP_POP3_LEAVE_ON_SERVER] =
    g_param_spec_boolean ("pop3-leave-on-server", NULL, NULL, TRUE, flags);
  /**
   * MailAccount:pop3-delete-after-days:
   *
   * For a POP3 account that leaves messages on the server: how many days after the
   * download they are deleted from it; 0 never.
   */
  properties[PROP_POP3_DELETE_AFTER_DAYS] =
    g_param_spec_uint ("pop3-delete-after-days", NULL, NULL, 0, MAIL_ACCOUNT_MAX_DAYS, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_account_init (MailAccount *self)
{
  self->sync_window_days = MAIL_ACCOUNT_DEFAULT_SYNC_WINDOW_DAYS;
  self->pop3_leave_on_server = TRUE;
  self->servers[MAIL_ACCOUNT_INCOMING] = mail_account_server_new (MAIL_PROTOCOL_IMAP, NULL, 0,
                                                                  MAIL_SECURITY_TLS);
  self->servers[MAIL_ACCOUNT_OUTGOING] = mail_account_server_new (MAIL_PROTOCOL_SMTP, NULL, 0,
                                                                  MAIL_SECURITY_TLS);
}

/**
 * mail_account_new:
 * @address: the email address
 *
 * A new account with a new identifier, an IMAP and an SMTP server over implicit TLS
 * without host names, and the default sync window and POP3 policy.
 *
 * Returns: (transfer full): the account
 */
MailAccount *
mail_account_new (const char *address)
{
  return g_object_new (MAIL_TYPE_ACCOUNT, "address", address, NULL);
}

/* The account with @id and nothing else set, for reading a settings file into. */
MailAccount *
_mail_account_new_with_id (const char *id)
{
  return g_object_new (MAIL_TYPE_ACCOUNT, "id", id, NULL);
}

/* Makes @self hold what @from holds, apart from the identifier; notifies what changed. */
void
_mail_account_assign (MailAccount *self,
                      MailAccount *from)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));
  g_return_if_fail (MAIL_IS_ACCOUNT (from));

  g_object_freeze_notify (G_OBJECT (self));
  mail_account_set_address (self, from->address);
  mail_account_set_display_name (self, from->display_name);
  mail_account_set_signature (self, from->signature);
  mail_account_set_server (self, MAIL_ACCOUNT_INCOMING, from->servers[MAIL_ACCOUNT_INCOMING]);
  mail_account_set_server (self, MAIL_ACCOUNT_OUTGOING, from->servers[MAIL_ACCOUNT_OUTGOING]);
  mail_account_set_sync_window_days (self, from->sync_window_days);
  mail_account_set_pop3_leave_on_server (self, from->pop3_leave_on_server);
  mail_account_set_pop3_delete_after_days (self, from->pop3_delete_after_days);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * mail_account_copy:
 * @self: an account
 *
 * A copy with the same identifier, to edit and hand to mail_account_manager_update_sync().
 *
 * Returns: (transfer full): the copy
 */
MailAccount *
mail_account_copy (MailAccount *self)
{
  MailAccount *copy;

  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);

  copy = _mail_account_new_with_id (self->id);
  _mail_account_assign (copy, self);

  return copy;
}

const char *
mail_account_get_id (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);

  return self->id;
}

const char *
mail_account_get_address (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);

  return self->address;
}

static void
set_string (MailAccount *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
mail_account_set_address (MailAccount *self,
                          const char  *address)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));

  set_string (self, &self->address, address, PROP_ADDRESS);
}

const char *
mail_account_get_display_name (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);

  return self->display_name != NULL ? self->display_name : "";
}

void
mail_account_set_display_name (MailAccount *self,
                               const char  *name)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));

  set_string (self, &self->display_name, name != NULL && name[0] != '\0' ? name : NULL,
              PROP_DISPLAY_NAME);
}

const char *
mail_account_get_signature (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);

  return self->signature != NULL ? self->signature : "";
}

void
mail_account_set_signature (MailAccount *self,
                            const char  *signature)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));

  set_string (self, &self->signature,
              signature != NULL && signature[0] != '\0' ? signature : NULL, PROP_SIGNATURE);
}

/**
 * mail_account_get_server:
 * @self: an account
 * @direction: which server
 *
 * Returns: (transfer none): the server; valid until it is set again
 */
const MailAccountServer *
mail_account_get_server (MailAccount          *self,
                         MailAccountDirection  direction)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (direction <= MAIL_ACCOUNT_OUTGOING, NULL);

  return self->servers[direction];
}

/**
 * mail_account_set_server:
 * @self: an account
 * @direction: which server
 * @server: the new settings, copied
 */
void
mail_account_set_server (MailAccount             *self,
                         MailAccountDirection     direction,
                         const MailAccountServer *server)
{
  MailAccountServer *copy;

  g_return_if_fail (MAIL_IS_ACCOUNT (self));
  g_return_if_fail (direction <= MAIL_ACCOUNT_OUTGOING);
  g_return_if_fail (server != NULL);

  if (self->servers[direction] == server)
    return;

  copy = mail_account_server_copy (server);
  mail_account_server_free (self->servers[direction]);
  self->servers[direction] = copy;
}

guint
mail_account_get_sync_window_days (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), MAIL_ACCOUNT_DEFAULT_SYNC_WINDOW_DAYS);

  return self->sync_window_days;
}

void
mail_account_set_sync_window_days (MailAccount *self,
                                   guint        days)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));

  days = MIN (days, MAIL_ACCOUNT_MAX_DAYS);
  if (self->sync_window_days == days)
    return;

  self->sync_window_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_WINDOW_DAYS]);
}

gboolean
mail_account_get_pop3_leave_on_server (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), TRUE);

  return self->pop3_leave_on_server;
}

void
mail_account_set_pop3_leave_on_server (MailAccount *self,
                                       gboolean     leave)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));

  leave = !!leave;
  if (self->pop3_leave_on_server == leave)
    return;

  self->pop3_leave_on_server = leave;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POP3_LEAVE_ON_SERVER]);
}

guint
mail_account_get_pop3_delete_after_days (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), 0);

  return self->pop3_delete_after_days;
}

void
mail_account_set_pop3_delete_after_days (MailAccount *self,
                                         guint        days)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));

  days = MIN (days, MAIL_ACCOUNT_MAX_DAYS);
  if (self->pop3_delete_after_days == days)
    return;

  self->pop3_delete_after_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POP3_DELETE_AFTER_DAYS]);
}

/* Validation ------------------------------------------------------------------------- */

static const char *
direction_name (MailAccountDirection direction)
{
  return direction == MAIL_ACCOUNT_INCOMING ? _("incoming server") : _("outgoing server");
}

/* A host name as used on the wire (ASCII, IDNA form) or an IP address. */
static gboolean
host_is_valid (const char *host)
{
  gsize length;

  if (host == NULL || host[0] == '\0')
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;

  length = strlen (host);
  if (length > 253 || host[0] == '.' || host[0] == '-')
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

/* "password", or a SASL mechanism name (RFC 4422: upper-case letters, digits, - and _). */
static gboolean
auth_is_valid (const char *auth)
{
  if (g_strcmp0 (auth, MAIL_ACCOUNT_AUTH_PASSWORD) == 0)
    return TRUE;
  if (auth == NULL || auth[0] == '\0' || strlen (auth) > 20)
    return FALSE;
  for (const char *p = auth; *p != '\0'; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

static gboolean
text_is_valid (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 && *p != '\t')
      return FALSE;

  return TRUE;
}

static gboolean
validate_server (const MailAccountServer  *server,
                 MailAccountDirection      direction,
                 GError                  **error)
{
  const char *what = direction_name (direction);

  if (direction == MAIL_ACCOUNT_INCOMING && server->protocol != MAIL_PROTOCOL_IMAP &&
      server->protocol != MAIL_PROTOCOL_POP3)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The incoming server must use IMAP or POP3"));
      return FALSE;
    }
  if (direction == MAIL_ACCOUNT_OUTGOING && server->protocol != MAIL_PROTOCOL_SMTP)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The outgoing server must use SMTP"));
      return FALSE;
    }
  if (!host_is_valid (server->host))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The %s has no valid host name"), what);
      return FALSE;
    }
  if (server->port == 0)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The %s has no port"), what);
      return FALSE;
    }
  if (server->security > MAIL_SECURITY_TLS)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The %s has an unknown kind of security"), what);
      return FALSE;
    }
  if (server->security == MAIL_SECURITY_NONE && !server->allow_plaintext_password)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The %s is not encrypted, and sending the password unencrypted was not "
                     "explicitly allowed"), what);
      return FALSE;
    }
  if (direction == MAIL_ACCOUNT_INCOMING &&
      (server->username == NULL || server->username[0] == '\0'))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The incoming server has no user name"));
      return FALSE;
    }
  if (!text_is_valid (server->username))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The user name of the %s holds control characters"), what);
      return FALSE;
    }
  if (!auth_is_valid (server->auth))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The sign-in method of the %s is unknown"), what);
      return FALSE;
    }
  if (server->pinned_fingerprint != NULL)
    {
      g_autofree char *normal = mail_certificate_fingerprint_normalize (server->pinned_fingerprint);

      if (normal == NULL)
        {
          g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                       _("The trusted certificate of the %s has no valid SHA-256 fingerprint"),
                       what);
          return FALSE;
        }
    }
  if (server->ca_file != NULL && !g_path_is_absolute (server->ca_file))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The certificate authority file of the %s is not an absolute path"), what);
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_account_validate:
 * @self: an account
 * @error: return location for a %MAIL_ACCOUNT_ERROR_INVALID error
 *
 * Checks that the settings are complete and consistent: a valid address, an IMAP or POP3
 * incoming and an SMTP outgoing server with host names and ports, explicit consent for a
 * server without encryption, day counts in range.
 *
 * Returns: whether the account can be saved
 */
gboolean
mail_account_validate (MailAccount  *self,
                       GError      **error)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), FALSE);

  if (self->id == NULL || !g_uuid_string_is_valid (self->id))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The account has no valid identifier"));
      return FALSE;
    }
  if (self->address == NULL || !mail_address_parse (self->address, NULL, NULL))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("“%s” is not an email address"), self->address != NULL ? self->address : "");
      return FALSE;
    }
  if (!text_is_valid (self->display_name))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The name holds control characters"));
      return FALSE;
    }
  if (self->signature != NULL && !g_utf8_validate (self->signature, -1, NULL))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The signature is not valid text"));
      return FALSE;
    }

  return validate_server (self->servers[MAIL_ACCOUNT_INCOMING], MAIL_ACCOUNT_INCOMING, error) &&
         validate_server (self->servers[MAIL_ACCOUNT_OUTGOING], MAIL_ACCOUNT_OUTGOING, error);
}

/* The key file ----------------------------------------------------------------------- */

static void
set_optional_string (GKeyFile   *key_file,
                     const char *group,
                     const char *key,
                     const char *value)
{
  if (value != NULL)
    g_key_file_set_string (key_file, group, key, value);
}

static void
server_to_key_file (const MailAccountServer *server,
                    GKeyFile                *key_file,
                    const char              *group)
{
  g_key_file_set_string (key_file, group, "Protocol", mail_protocol_to_string (server->protocol));
  g_key_file_set_string (key_file, group, "Host", server->host != NULL ? server->host : "");
  g_key_file_set_integer (key_file, group, "Port", server->port);
  g_key_file_set_string (key_file, group, "Security", mail_security_to_string (server->security));
  set_optional_string (key_file, group, "Username", server->username);
  g_key_file_set_string (key_file, group, "Auth", server->auth);
  g_key_file_set_boolean (key_file, group, "AllowPlaintextPassword",
                          server->allow_plaintext_password);
  set_optional_string (key_file, group, "PinnedFingerprint", server->pinned_fingerprint);
  set_optional_string (key_file, group, "PinnedCertificate", server->pinned_pem);
  set_optional_string (key_file, group, "CaFile", server->ca_file);
}

/**
 * mail_account_to_key_file:
 * @self: an account
 *
 * The account's settings as they are written to its settings file. Holds no password.
 *
 * Returns: (transfer full): a new key file
 */
GKeyFile *
mail_account_to_key_file (MailAccount *self)
{
  GKeyFile *key_file;

  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);

  key_file = g_key_file_new ();
  g_key_file_set_comment (key_file, NULL, NULL,
                          " The settings of one Mail account. Its password is in the keyring, "
                          "never here.", NULL);
  g_key_file_set_integer (key_file, GROUP_ACCOUNT, "Version", SETTINGS_VERSION);
  g_key_file_set_string (key_file, GROUP_ACCOUNT, "Id", self->id);
  g_key_file_set_string (key_file, GROUP_ACCOUNT, "Address",
                         self->address != NULL ? self->address : "");
  set_optional_string (key_file, GROUP_ACCOUNT, "DisplayName", self->display_name);
  set_optional_string (key_file, GROUP_ACCOUNT, "Signature", self->signature);
  g_key_file_set_integer (key_file, GROUP_ACCOUNT, "SyncWindowDays", (int) self->sync_window_days);

  server_to_key_file (self->servers[MAIL_ACCOUNT_INCOMING], key_file, GROUP_INCOMING);
  server_to_key_file (self->servers[MAIL_ACCOUNT_OUTGOING], key_file, GROUP_OUTGOING);

  g_key_file_set_boolean (key_file, GROUP_POP3, "LeaveOnServer", self->pop3_leave_on_server);
  g_key_file_set_integer (key_file, GROUP_POP3, "DeleteAfterDays",
                          (int) self->pop3_delete_after_days);

  return key_file;
}

static gboolean
read_string (GKeyFile    *key_file,
             const char  *group,
             const char  *key,
             gboolean     required,
             char       **out,
             GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  char *value = g_key_file_get_string (key_file, group, key, &local_error);

  if (value == NULL && (required || !g_error_matches (local_error, G_KEY_FILE_ERROR,
                                                      G_KEY_FILE_ERROR_KEY_NOT_FOUND)))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("“%s” in [%s]: %s"), key, group, local_error->message);
      return FALSE;
    }

  g_free (*out);
  *out = value;

  return TRUE;
}

/* An integer in [min, max]; @fallback when absent and not @required. */
static gboolean
read_uint (GKeyFile    *key_file,
           const char  *group,
           const char  *key,
           gboolean     required,
           guint        fallback,
           guint        min,
           guint        max,
           guint       *out,
           GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  int value;

  if (!required && !g_key_file_has_key (key_file, group, key, NULL))
    {
      *out = fallback;
      return TRUE;
    }

  value = g_key_file_get_integer (key_file, group, key, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("“%s” in [%s]: %s"), key, group, local_error->message);
      return FALSE;
    }
  if (value < 0 || (guint) value < min || (guint) value > max)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("“%s” in [%s] is out of range: %d"), key, group, value);
      return FALSE;
    }

  *out = (guint) value;

  return TRUE;
}

static gboolean
read_boolean (GKeyFile    *key_file,
              const char  *group,
              const char  *key,
              gboolean     fallback,
              gboolean    *out,
              GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  gboolean value;

  if (!g_key_file_has_key (key_file, group, key, NULL))
    {
      *out = fallback;
      return TRUE;
    }

  value = g_key_file_get_boolean (key_file, group, key, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("“%s” in [%s]: %s"), key, group, local_error->message);
      return FALSE;
    }

  *out = value;

  return TRUE;
}

static MailAccountServer *
server_from_key_file (GKeyFile    *key_file,
                      const char  *group,
                      GError     **error)
{
  g_autoptr (MailAccountServer) server = g_new0 (MailAccountServer, 1);
  g_autofree char *protocol = NULL;
  g_autofree char *security = NULL;
  guint port = 0;

  if (!g_key_file_has_group (key_file, group))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The group [%s] is missing"), group);
      return NULL;
    }

  if (!read_string (key_file, group, "Protocol", TRUE, &protocol, error) ||
      !read_string (key_file, group, "Host", TRUE, &server->host, error) ||
      !read_uint (key_file, group, "Port", TRUE, 0, 1, G_MAXUINT16, &port, error) ||
      !read_string (key_file, group, "Security", TRUE, &security, error) ||
      !read_string (key_file, group, "Username", FALSE, &server->username, error) ||
      !read_string (key_file, group, "Auth", FALSE, &server->auth, error) ||
      !read_boolean (key_file, group, "AllowPlaintextPassword", FALSE,
                     &server->allow_plaintext_password, error) ||
      !read_string (key_file, group, "PinnedFingerprint", FALSE, &server->pinned_fingerprint,
                    error) ||
      !read_string (key_file, group, "PinnedCertificate", FALSE, &server->pinned_pem, error) ||
      !read_string (key_file, group, "CaFile", FALSE, &server->ca_file, error))
    return NULL;

  if (!mail_protocol_from_string (protocol, &server->protocol))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("“Protocol” in [%s] is unknown: %s"), group, protocol);
      return NULL;
    }
  if (!mail_security_from_string (security, &server->security))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("“Security” in [%s] is unknown: %s"), group, security);
      return NULL;
    }
  server->port = (guint16) port;
  if (server->auth == NULL)
    server->auth = g_strdup (MAIL_ACCOUNT_AUTH_PASSWORD);

  return g_steal_pointer (&server);
}

/**
 * mail_account_new_from_key_file:
 * @key_file: an account's settings, as mail_account_to_key_file() makes them
 * @error: return location for a %MAIL_ACCOUNT_ERROR_INVALID error naming what is wrong
 *
 * Reads an account's settings and checks them as mail_account_validate() does. A file
 * written by a newer version of Mail is refused, never half-read.
 *
 * Returns: (transfer full) (nullable): the account, or %NULL with @error set
 */
MailAccount *
mail_account_new_from_key_file (GKeyFile  *key_file,
                                GError   **error)
{
  g_autoptr (MailAccount) self = NULL;
  g_autoptr (MailAccountServer) incoming = NULL;
  g_autoptr (MailAccountServer) outgoing = NULL;
  g_autofree char *id = NULL;
  guint version = 0;

  g_return_val_if_fail (key_file != NULL, NULL);

  if (!g_key_file_has_group (key_file, GROUP_ACCOUNT))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The group [%s] is missing"), GROUP_ACCOUNT);
      return NULL;
    }
  if (!read_uint (key_file, GROUP_ACCOUNT, "Version", TRUE, 0, 1, G_MAXINT, &version, error))
    return NULL;
  if (version > SETTINGS_VERSION)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The settings were written by a newer version of Mail (format %u; this "
                     "version reads format %d)"), version, SETTINGS_VERSION);
      return NULL;
    }
  if (!read_string (key_file, GROUP_ACCOUNT, "Id", TRUE, &id, error))
    return NULL;
  if (!g_uuid_string_is_valid (id))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("“Id” in [%s] is not a valid identifier"), GROUP_ACCOUNT);
      return NULL;
    }

  self = _mail_account_new_with_id (id);
  if (!read_string (key_file, GROUP_ACCOUNT, "Address", TRUE, &self->address, error) ||
      !read_string (key_file, GROUP_ACCOUNT, "DisplayName", FALSE, &self->display_name, error) ||
      !read_string (key_file, GROUP_ACCOUNT, "Signature", FALSE, &self->signature, error) ||
      !read_uint (key_file, GROUP_ACCOUNT, "SyncWindowDays", FALSE,
                  MAIL_ACCOUNT_DEFAULT_SYNC_WINDOW_DAYS, 0, MAIL_ACCOUNT_MAX_DAYS,
                  &self->sync_window_days, error))
    return NULL;

  if ((incoming = server_from_key_file (key_file, GROUP_INCOMING, error)) == NULL ||
      (outgoing = server_from_key_file (key_file, GROUP_OUTGOING, error)) == NULL)
    return NULL;
  mail_account_server_free (self->servers[MAIL_ACCOUNT_INCOMING]);
  self->servers[MAIL_ACCOUNT_INCOMING] = g_steal_pointer (&incoming);
  mail_account_server_free (self->servers[MAIL_ACCOUNT_OUTGOING]);
  self->servers[MAIL_ACCOUNT_OUTGOING] = g_steal_pointer (&outgoing);

  if (!read_boolean (key_file, GROUP_POP3, "LeaveOnServer", TRUE, &self->pop3_leave_on_server,
                     error) ||
      !read_uint (key_file, GROUP_POP3, "DeleteAfterDays", FALSE, 0, 0, MAIL_ACCOUNT_MAX_DAYS,
                  &self->pop3_delete_after_days, error))
    return NULL;

  if (!mail_account_validate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Where an account lives ------------------------------------------------------------- */

/**
 * mail_account_dup_settings_dir:
 *
 * Returns: (transfer full): the directory of the accounts' settings files,
 *   `$XDG_CONFIG_HOME/org.example.Mail/accounts`
 */
char *
mail_account_dup_settings_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "org.example.Mail", "accounts", NULL);
}

/**
 * mail_account_dup_data_root:
 *
 * Returns: (transfer full): the directory that holds each account's data directory,
 *   `$XDG_DATA_HOME/org.example.Mail/accounts`
 */
char *
mail_account_dup_data_root (void)
{
  return g_build_filename (g_get_user_data_dir (), "org.example.Mail", "accounts", NULL);
}

/**
 * mail_account_dup_settings_path:
 * @self: an account
 *
 * Returns: (transfer full): the account's settings file, `<settings dir>/<id>.ini`
 */
char *
mail_account_dup_settings_path (MailAccount *self)
{
  g_autofree char *dir = mail_account_dup_settings_dir ();
  g_autofree char *name = NULL;

  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);

  name = g_strconcat (self->id, ".ini", NULL);

  return g_build_filename (dir, name, NULL);
}

/**
 * mail_account_dup_data_dir:
 * @self: an account
 *
 * The directory for the account's local data (its store, message bodies, a copied
 * certificate authority file): `$XDG_DATA_HOME/org.example.Mail/accounts/<id>`. It may not
 * exist yet; whoever writes there first creates it (mode 0700). Removing the account
 * deletes it with everything in it.
 *
 * Returns: (transfer full): the path
 */
char *
mail_account_dup_data_dir (MailAccount *self)
{
  g_autofree char *root = mail_account_dup_data_root ();

  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);

  return g_build_filename (root, self->id, NULL);
}

/**
 * mail_account_address_equal:
 * @a: an email address
 * @b: another
 *
 * Returns: whether @a and @b name the same account (compared without regard to case)
 */
gboolean
mail_account_address_equal (const char *a,
                            const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL)
    return a == b;

  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);

  return g_strcmp0 (fa, fb) == 0;
}
