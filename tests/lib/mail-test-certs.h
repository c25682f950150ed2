/* mail-test-certs.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MailTestCerts:
 * @dir: the temporary directory holding the files
 * @ca_file: the test CA's certificate (PEM), for mail_tls_database_new()
 * @good: a certificate for "localhost" and 127.0.0.1, issued by the test CA
 * @expired: the same names and key, issued by the test CA, expired
 * @wrong_host: a certificate for "other.example.test", issued by the test CA
 * @self_signed: a self-signed certificate for "localhost" and 127.0.0.1
 * @good_file, @expired_file, @wrong_host_file, @self_signed_file: their PEM files
 *
 * Certificates made with openssl when a test starts, never committed.
 */
typedef struct
{
  char            *dir;
  char            *ca_file;
  GTlsCertificate *good;
  GTlsCertificate *expired;
  GTlsCertificate *wrong_host;
  GTlsCertificate *self_signed;
  char            *good_file;
  char            *expired_file;
  char            *wrong_host_file;
  char            *self_signed_file;
} MailTestCerts;

MailTestCerts *mail_test_certs_new                (GError        **error);
void           mail_test_certs_free               (MailTestCerts  *certs);
char          *mail_test_certs_openssl_fingerprint (MailTestCerts *certs,
                                                   const char     *pem_file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailTestCerts, mail_test_certs_free)

G_END_DECLS
