/* mail-tls-database.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The system's trust store, plus the certificate authorities of one extra PEM file: the
 * option a user with a private company CA needs, and the one the test suites use for the
 * test CA. A chain is first verified against the system store; only when that fails for
 * lack of a known authority is it verified again against the extra file, and the result of
 * that second, complete verification (host name, validity, signature) is what counts.
 * Verification is never skipped.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-tls-database.h"

struct _MailTlsDatabase
{
  GTlsDatabase  parent_instance;

  GTlsDatabase *system;
  GTlsDatabase *extra;
  char         *ca_file;
};

G_DEFINE_FINAL_TYPE (MailTlsDatabase, mail_tls_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
mail_tls_database_verify_chain (GTlsDatabase             *database,
                                GTlsCertificate          *chain,
                                const char               *purpose,
                                GSocketConnectable       *identity,
                                GTlsInteraction          *interaction,
                                GTlsDatabaseVerifyFlags   flags,
                                GCancellable             *cancellable,
                                GError                  **error)
{
  MailTlsDatabase *self = MAIL_TLS_DATABASE (database);
  GTlsCertificateFlags result = G_TLS_CERTIFICATE_UNKNOWN_CA;

  if (self->system != NULL)
    {
      result = g_tls_database_verify_chain (self->system, chain, purpose, identity, interaction,
                                            flags, cancellable, error);
      if (result == G_TLS_CERTIFICATE_GENERIC_ERROR && error != NULL && *error != NULL)
        return result;
    }

  if (self->extra != NULL && (result & G_TLS_CERTIFICATE_UNKNOWN_CA) != 0)
    result = g_tls_database_verify_chain (self->extra, chain, purpose, identity, interaction,
                                          flags, cancellable, error);

  return result;
}

static GTlsCertificate *
mail_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                             GTlsCertificate          *certificate,
                                             GTlsInteraction          *interaction,
                                             GTlsDatabaseLookupFlags   flags,
                                             GCancellable             *cancellable,
                                             GError                  **error)
{
  MailTlsDatabase *self = MAIL_TLS_DATABASE (database);
  GTlsCertificate *issuer = NULL;

  if (self->extra != NULL)
    {
      issuer = g_tls_database_lookup_certificate_issuer (self->extra, certificate, interaction,
                                                         flags, cancellable, error);
      if (issuer != NULL || (error != NULL && *error != NULL))
        return issuer;
    }

  if (self->system != NULL)
    issuer = g_tls_database_lookup_certificate_issuer (self->system, certificate, interaction,
                                                       flags, cancellable, error);

  return issuer;
}

static GList *
mail_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                                 GByteArray               *issuer_raw_dn,
                                                 GTlsInteraction          *interaction,
                                                 GTlsDatabaseLookupFlags   flags,
                                                 GCancellable             *cancellable,
                                                 GError                  **error)
{
  MailTlsDatabase *self = MAIL_TLS_DATABASE (database);
  GList *found = NULL;

  if (self->extra != NULL)
    found = g_tls_database_lookup_certificates_issued_by (self->extra, issuer_raw_dn,
                                                          interaction, flags, cancellable, error);
  if (found == NULL && self->system != NULL && (error == NULL || *error == NULL))
    found = g_tls_database_lookup_certificates_issued_by (self->system, issuer_raw_dn,
                                                          interaction, flags, cancellable, error);

  return found;
}

static char *
mail_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                             GTlsCertificate *certificate)
{
  MailTlsDatabase *self = MAIL_TLS_DATABASE (database);
  char *handle = NULL;

  if (self->system != NULL)
    handle = g_tls_database_create_certificate_handle (self->system, certificate);
  if (handle == NULL && self->extra != NULL)
    handle = g_tls_database_create_certificate_handle (self->extra, certificate);

  return handle;
}

static GTlsCertificate *
mail_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                                 const char               *handle,
                                                 GTlsInteraction          *interaction,
                                                 GTlsDatabaseLookupFlags   flags,
                                                 GCancellable             *cancellable,
                                                 GError                  **error)
{
  MailTlsDatabase *self = MAIL_TLS_DATABASE (database);
  GTlsCertificate *certificate = NULL;

  if (self->system != NULL)
    certificate = g_tls_database_lookup_certificate_for_handle (self->system, handle, interaction,
                                                                flags, cancellable, error);
  if (certificate == NULL && self->extra != NULL && (error == NULL || *error == NULL))
    certificate = g_tls_database_lookup_certificate_for_handle (self->extra, handle, interaction,
                                                                flags, cancellable, error);

  return certificate;
}

static void
mail_tls_database_finalize (GObject *object)
{
  MailTlsDatabase *self = (MailTlsDatabase *) object;

  g_clear_object (&self->system);
  g_clear_object (&self->extra);
  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (mail_tls_database_parent_class)->finalize (object);
}

static void
mail_tls_database_class_init (MailTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = mail_tls_database_finalize;

  database_class->verify_chain = mail_tls_database_verify_chain;
  database_class->lookup_certificate_issuer = mail_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = mail_tls_database_lookup_certificates_issued_by;
  database_class->create_certificate_handle = mail_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = mail_tls_database_lookup_certificate_for_handle;
}

static void
mail_tls_database_init (MailTlsDatabase *self)
{
}

/**
 * mail_tls_database_new:
 * @extra_ca_file: (nullable): a PEM file of certificate authorities to trust in addition
 *   to the system's, or %NULL for the system's alone
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a database to set on every TLS connection, or %NULL with
 *   @error set when @extra_ca_file cannot be read or holds no certificate
 */
GTlsDatabase *
mail_tls_database_new (const char  *extra_ca_file,
                       GError     **error)
{
  g_autoptr (MailTlsDatabase) self = NULL;
  GTlsBackend *backend = g_tls_backend_get_default ();

  if (!g_tls_backend_supports_tls (backend))
    {
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE,
                           _("This system has no TLS support (is glib-networking installed?)"));
      return NULL;
    }

  self = g_object_new (MAIL_TYPE_TLS_DATABASE, NULL);
  self->system = g_tls_backend_get_default_database (backend);

  if (extra_ca_file != NULL && extra_ca_file[0] != '\0')
    {
      self->extra = g_tls_file_database_new (extra_ca_file, error);
      if (self->extra == NULL)
        {
          g_prefix_error (error, _("Could not read the trusted certificates in “%s”: "),
                          extra_ca_file);
          return NULL;
        }
      self->ca_file = g_strdup (extra_ca_file);
    }

  return G_TLS_DATABASE (g_steal_pointer (&self));
}

/**
 * mail_tls_database_get_ca_file:
 * @self: a #MailTlsDatabase
 *
 * Returns: (nullable): the extra CA file this database trusts
 */
const char *
mail_tls_database_get_ca_file (MailTlsDatabase *self)
{
  g_return_val_if_fail (MAIL_IS_TLS_DATABASE (self), NULL);

  return self->ca_file;
}
