/* mail-certificate-info.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a person needs to decide about a server certificate: who it names, who signed it,
 * when it is valid, its SHA-256 fingerprint, and what is wrong with it in plain words.
 * Built once from the GTlsCertificate (GLib 2.70 gives us names and dates) and then
 * immutable, so it can be handed between threads and attached to errors.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-net"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-certificate-info.h"

struct _MailCertificateInfo
{
  GObject               parent_instance;

  GTlsCertificate      *certificate;
  GTlsCertificateFlags  errors;
  char                 *host;
  guint16               port;

  GBytes               *der;
  char                 *fingerprint;
  char                 *subject;
  char                 *issuer;
  GDateTime            *not_before;
  GDateTime            *not_after;
  char                 *pem;
};

G_DEFINE_FINAL_TYPE (MailCertificateInfo, mail_certificate_info, G_TYPE_OBJECT)

/* In the order a person should read them: the worst first. */
static const struct
{
  GTlsCertificateFlags  flag;
  const char           *name;
} problem_names[] = {
  { G_TLS_CERTIFICATE_REVOKED, "revoked" },
  { G_TLS_CERTIFICATE_INSECURE, "insecure" },
  { G_TLS_CERTIFICATE_BAD_IDENTITY, "wrong-host-name" },
  { G_TLS_CERTIFICATE_EXPIRED, "expired" },
  { G_TLS_CERTIFICATE_NOT_ACTIVATED, "not-yet-valid" },
  { G_TLS_CERTIFICATE_UNKNOWN_CA, "unknown-authority" },
  { G_TLS_CERTIFICATE_GENERIC_ERROR, "other" },
};

static void
mail_certificate_info_finalize (GObject *object)
{
  MailCertificateInfo *self = (MailCertificateInfo *) object;

  g_clear_object (&self->certificate);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->der, g_bytes_unref);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->pem, g_free);

  G_OBJECT_CLASS (mail_certificate_info_parent_class)->finalize (object);
}

static void
mail_certificate_info_class_init (MailCertificateInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_certificate_info_finalize;
}

static void
mail_certificate_info_init (MailCertificateInfo *self)
{
}

/**
 * mail_certificate_fingerprint_from_der:
 * @der: (array length=length): the DER encoding of a certificate
 * @length: the length of @der
 *
 * Returns: (transfer full): the SHA-256 fingerprint of @der as upper-case hex pairs
 *   separated by colons, as browsers and `openssl x509 -fingerprint -sha256` show it
 */
char *
mail_certificate_fingerprint_from_der (const guint8 *der,
                                       gsize         length)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  GString *out = g_string_sized_new (3 * sizeof digest);

  g_checksum_update (checksum, der, length);
  g_checksum_get_digest (checksum, digest, &digest_len);

  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);

  return g_string_free (out, FALSE);
}

/**
 * mail_certificate_fingerprint_normalize:
 * @fingerprint: a SHA-256 fingerprint in hex, with or without colons or spaces, in
 *   either case
 *
 * Returns: (transfer full) (nullable): @fingerprint in the form
 *   mail_certificate_fingerprint_from_der() returns, or %NULL if it is not 32 bytes of hex
 */
char *
mail_certificate_fingerprint_normalize (const char *fingerprint)
{
  GString *out;
  guint n_digits = 0;

  g_return_val_if_fail (fingerprint != NULL, NULL);

  out = g_string_sized_new (96);
  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ')
        continue;
      if (!g_ascii_isxdigit (*p) || n_digits == 64)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      if (n_digits > 0 && n_digits % 2 == 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (*p));
      n_digits++;
    }

  if (n_digits != 64)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/**
 * mail_certificate_info_new:
 * @certificate: the certificate a server presented
 * @errors: what verification found wrong with it (0 if nothing)
 * @host: (nullable): the host name the client connected to
 * @port: the port the client connected to
 *
 * Returns: (transfer full): a description of @certificate
 */
MailCertificateInfo *
mail_certificate_info_new (GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           const char           *host,
                           guint16               port)
{
  MailCertificateInfo *self;
  g_autoptr (GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (MAIL_TYPE_CERTIFICATE_INFO, NULL);
  self->certificate = g_object_ref (certificate);
  self->errors = errors;
  self->host = g_strdup (host);
  self->port = port;

  g_object_get (certificate, "certificate", &der, "certificate-pem", &self->pem, NULL);
  if (der != NULL)
    {
      self->fingerprint = mail_certificate_fingerprint_from_der (der->data, der->len);
      self->der = g_bytes_new (der->data, der->len);
    }
  else
    {
      self->fingerprint = g_strdup ("");
      self->der = g_bytes_new (NULL, 0);
    }

  self->subject = g_tls_certificate_get_subject_name (certificate);
  self->issuer = g_tls_certificate_get_issuer_name (certificate);
  self->not_before = g_tls_certificate_get_not_valid_before (certificate);
  self->not_after = g_tls_certificate_get_not_valid_after (certificate);

  return self;
}

/**
 * mail_certificate_info_get_certificate:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer none): the certificate itself
 */
GTlsCertificate *
mail_certificate_info_get_certificate (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  return self->certificate;
}

/**
 * mail_certificate_info_get_host:
 * @self: a #MailCertificateInfo
 *
 * Returns: (nullable): the host name the client connected to
 */
const char *
mail_certificate_info_get_host (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  return self->host;
}

/**
 * mail_certificate_info_get_port:
 * @self: a #MailCertificateInfo
 *
 * Returns: the port the client connected to
 */
guint16
mail_certificate_info_get_port (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), 0);

  return self->port;
}

/**
 * mail_certificate_info_get_errors:
 * @self: a #MailCertificateInfo
 *
 * The flags from verification. GLib only promises that at least one flag is set when
 * verification failed, not that every problem is listed: never accept a certificate
 * because a particular flag is absent.
 *
 * Returns: what verification found wrong, 0 for a certificate that passed
 */
GTlsCertificateFlags
mail_certificate_info_get_errors (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), G_TLS_CERTIFICATE_GENERIC_ERROR);

  return self->errors;
}

/**
 * mail_certificate_info_get_fingerprint:
 * @self: a #MailCertificateInfo
 *
 * Returns: the SHA-256 fingerprint of the certificate, "AB:CD:…"
 */
const char *
mail_certificate_info_get_fingerprint (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  return self->fingerprint;
}

/**
 * mail_certificate_info_get_subject:
 * @self: a #MailCertificateInfo
 *
 * Returns: (nullable): the subject's distinguished name, such as "CN=mail.example.test"
 */
const char *
mail_certificate_info_get_subject (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  return self->subject;
}

/**
 * mail_certificate_info_get_issuer:
 * @self: a #MailCertificateInfo
 *
 * Returns: (nullable): the issuer's distinguished name
 */
const char *
mail_certificate_info_get_issuer (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  return self->issuer;
}

/**
 * mail_certificate_info_get_not_before:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer none) (nullable): the start of the validity period
 */
GDateTime *
mail_certificate_info_get_not_before (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  return self->not_before;
}

/**
 * mail_certificate_info_get_not_after:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer none) (nullable): the end of the validity period
 */
GDateTime *
mail_certificate_info_get_not_after (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  return self->not_after;
}

/**
 * mail_certificate_info_get_pem:
 * @self: a #MailCertificateInfo
 *
 * Returns: (nullable): the certificate in PEM form
 */
const char *
mail_certificate_info_get_pem (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  return self->pem;
}

/**
 * mail_certificate_info_get_der:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer none): the certificate in DER form
 */
GBytes *
mail_certificate_info_get_der (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  return self->der;
}

/**
 * mail_certificate_info_is_self_signed:
 * @self: a #MailCertificateInfo
 *
 * Only for wording messages: true when the subject and issuer names are the same.
 *
 * Returns: whether the certificate looks self-signed
 */
gboolean
mail_certificate_info_is_self_signed (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), FALSE);

  return self->subject != NULL && self->issuer != NULL && g_str_equal (self->subject, self->issuer);
}

/**
 * mail_certificate_info_is_in_validity_period:
 * @self: a #MailCertificateInfo
 * @now: (nullable): the time to check, or %NULL for now
 *
 * Checks the dates ourselves, independent of what the TLS backend reported.
 *
 * Returns: whether @now lies within the certificate's validity period; %FALSE when the
 *   dates are unknown
 */
gboolean
mail_certificate_info_is_in_validity_period (MailCertificateInfo *self,
                                             GDateTime           *now)
{
  g_autoptr (GDateTime) current = NULL;

  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), FALSE);

  if (self->not_before == NULL || self->not_after == NULL)
    return FALSE;

  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();

  return g_date_time_compare (current, self->not_before) >= 0
         && g_date_time_compare (current, self->not_after) <= 0;
}

static char *
format_date (GDateTime *date)
{
  if (date == NULL)
    return g_strdup (_("an unknown date"));

  return g_date_time_format (date, "%Y-%m-%d");
}

static char *
describe_problem (MailCertificateInfo  *self,
                  GTlsCertificateFlags  flag)
{
  g_autofree char *date = NULL;

  switch (flag)
    {
    case G_TLS_CERTIFICATE_REVOKED:
      return g_strdup (_("It has been revoked by its issuer."));

    case G_TLS_CERTIFICATE_INSECURE:
      return g_strdup (_("It uses an algorithm or key that is no longer considered secure."));

    case G_TLS_CERTIFICATE_BAD_IDENTITY:
      if (self->host != NULL)
        return g_strdup_printf (_("It was issued for a different server name, not for “%s”."),
                                self->host);
      return g_strdup (_("It was issued for a different server name."));

    case G_TLS_CERTIFICATE_EXPIRED:
      date = format_date (self->not_after);
      return g_strdup_printf (_("It expired on %s."), date);

    case G_TLS_CERTIFICATE_NOT_ACTIVATED:
      date = format_date (self->not_before);
      return g_strdup_printf (_("It is not valid yet: it becomes valid on %s."), date);

    case G_TLS_CERTIFICATE_UNKNOWN_CA:
      if (mail_certificate_info_is_self_signed (self))
        return g_strdup (_("It is self-signed: no authority this computer trusts vouches for it."));
      return g_strdup (_("It was issued by an authority this computer does not trust."));

    case G_TLS_CERTIFICATE_GENERIC_ERROR:
    default:
      return g_strdup (_("It could not be verified."));
    }
}

/**
 * mail_certificate_info_dup_problems:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer full): one plain-language sentence per problem, worst first; empty
 *   when the certificate passed verification
 */
char **
mail_certificate_info_dup_problems (MailCertificateInfo *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (problem_names); i++)
    {
      if ((self->errors & problem_names[i].flag) != 0)
        {
          g_autofree char *text = describe_problem (self, problem_names[i].flag);
          g_strv_builder_add (builder, text);
        }
    }

  return g_strv_builder_end (builder);
}

/**
 * mail_certificate_info_dup_problem_names:
 * @self: a #MailCertificateInfo
 *
 * Stable names for scripts and JSON: "revoked", "insecure", "wrong-host-name", "expired",
 * "not-yet-valid", "unknown-authority", "other".
 *
 * Returns: (transfer full): the names of the problems, worst first
 */
char **
mail_certificate_info_dup_problem_names (MailCertificateInfo *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (problem_names); i++)
    if ((self->errors & problem_names[i].flag) != 0)
      g_strv_builder_add (builder, problem_names[i].name);

  return g_strv_builder_end (builder);
}

/**
 * mail_certificate_info_describe:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer full): a paragraph for an error message, such as "The certificate
 *   of mail.example.test was not accepted. It expired on 2026-01-01."
 */
char *
mail_certificate_info_describe (MailCertificateInfo *self)
{
  g_auto (GStrv) problems = NULL;
  GString *out;

  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  out = g_string_new (NULL);
  if (self->host != NULL)
    g_string_append_printf (out, _("The certificate of %s was not accepted."), self->host);
  else
    g_string_append (out, _("The server’s certificate was not accepted."));

  problems = mail_certificate_info_dup_problems (self);
  for (guint i = 0; problems[i] != NULL; i++)
    {
      g_string_append_c (out, ' ');
      g_string_append (out, problems[i]);
    }

  return g_string_free (out, FALSE);
}

/**
 * mail_certificate_info_matches_fingerprint:
 * @self: a #MailCertificateInfo
 * @fingerprint: a SHA-256 fingerprint, in any form
 *   mail_certificate_fingerprint_normalize() accepts
 *
 * Returns: whether the certificate is exactly the one @fingerprint names
 */
gboolean
mail_certificate_info_matches_fingerprint (MailCertificateInfo *self,
                                           const char          *fingerprint)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  normal = mail_certificate_fingerprint_normalize (fingerprint);

  return normal != NULL && self->fingerprint != NULL && self->fingerprint[0] != '\0'
         && g_str_equal (normal, self->fingerprint);
}
