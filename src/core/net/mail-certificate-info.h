/* mail-certificate-info.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MAIL_TYPE_CERTIFICATE_INFO (mail_certificate_info_get_type ())

G_DECLARE_FINAL_TYPE (MailCertificateInfo, mail_certificate_info, MAIL, CERTIFICATE_INFO, GObject)

MailCertificateInfo  *mail_certificate_info_new                 (GTlsCertificate      *certificate,
                                                                 GTlsCertificateFlags  errors,
                                                                 const char           *host,
                                                                 guint16               port);
GTlsCertificate      *mail_certificate_info_get_certificate     (MailCertificateInfo  *self);
const char           *mail_certificate_info_get_host            (MailCertificateInfo  *self);
guint16               mail_certificate_info_get_port            (MailCertificateInfo  *self);
GTlsCertificateFlags  mail_certificate_info_get_errors          (MailCertificateInfo  *self);
const char           *mail_certificate_info_get_fingerprint     (MailCertificateInfo  *self);
const char           *mail_certificate_info_get_subject         (MailCertificateInfo  *self);
const char           *mail_certificate_info_get_issuer          (MailCertificateInfo  *self);
GDateTime            *mail_certificate_info_get_not_before      (MailCertificateInfo  *self);
GDateTime            *mail_certificate_info_get_not_after       (MailCertificateInfo  *self);
const char           *mail_certificate_info_get_pem             (MailCertificateInfo  *self);
GBytes               *mail_certificate_info_get_der             (MailCertificateInfo  *self);
gboolean              mail_certificate_info_is_self_signed      (MailCertificateInfo  *self);
gboolean              mail_certificate_info_is_in_validity_period (MailCertificateInfo *self,
                                                                 GDateTime            *now);
char                **mail_certificate_info_dup_problems        (MailCertificateInfo  *self)
    G_GNUC_WARN_UNUSED_RESULT;
char                **mail_certificate_info_dup_problem_names   (MailCertificateInfo  *self)
    G_GNUC_WARN_UNUSED_RESULT;
char                 *mail_certificate_info_describe            (MailCertificateInfo  *self)
    G_GNUC_WARN_UNUSED_RESULT;
gboolean              mail_certificate_info_matches_fingerprint (MailCertificateInfo  *self,
                                                                 const char           *fingerprint);

char                 *mail_certificate_fingerprint_normalize    (const char           *fingerprint)
    G_GNUC_WARN_UNUSED_RESULT;
char                 *mail_certificate_fingerprint_from_der     (const guint8         *der,
                                                                 gsize                 length)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
