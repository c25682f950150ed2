/* mail-test-certs.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Makes a test CA and server certificates with openssl in a temporary directory. EC P-256
 * keys keep it fast (a few milliseconds a key). "-days -1" gives a certificate whose
 * validity ended a day ago.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mail-test-certs.h"

static gboolean
run_openssl (const char  *dir,
             GError     **error,
             ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *err_text = NULL;
  const char *arg;
  va_list args;
  int status = 0;

  if (openssl == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "openssl is not installed");
      return FALSE;
    }

  g_ptr_array_add (argv, openssl);
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                     &err_text, &status, error))
    return FALSE;

  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "openssl %s: %s: ", (const char *) argv->pdata[1],
                      err_text != NULL ? err_text : "");
      return FALSE;
    }

  return TRUE;
}

static char *
random_serial (void)
{
  return g_strdup_printf ("0x%08x%08x", g_random_int (), g_random_int ());
}

static gboolean
make_key_and_request (const char  *dir,
                      const char  *name,
                      const char  *subject,
                      GError     **error)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);

  return run_openssl (dir, error, "req", "-newkey", "ec", "-pkeyopt",
                      "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
                      "-subj", subject, NULL);
}

static gboolean
sign_request (const char  *dir,
              const char  *name,
              const char  *output,
              const char  *days,
              const char  *extensions,
              GError     **error)
{
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *ext_file = g_strconcat (output, ".ext", NULL);
  g_autofree char *ext_path = g_build_filename (dir, ext_file, NULL);
  g_autofree char *serial = random_serial ();

  if (!g_file_set_contents (ext_path, extensions, -1, error))
    return FALSE;

  return run_openssl (dir, error, "x509", "-req", "-in", csr, "-CA", "ca.pem", "-CAkey",
                      "ca.key", "-set_serial", serial, "-out", output, "-days", days,
                      "-extfile", ext_file, NULL);
}

static GTlsCertificate *
load (const char  *dir,
      const char  *cert,
      const char  *key,
      char       **cert_path_out,
      GError     **error)
{
  g_autofree char *cert_path = g_build_filename (dir, cert, NULL);
  g_autofree char *key_path = g_build_filename (dir, key, NULL);
  GTlsCertificate *certificate = g_tls_certificate_new_from_files (cert_path, key_path, error);

  if (certificate != NULL && cert_path_out != NULL)
    *cert_path_out = g_steal_pointer (&cert_path);

  return certificate;
}

/**
 * mail_test_certs_new:
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): fresh test certificates, or %NULL when openssl is
 *   missing or fails (tests then skip)
 */
MailTestCerts *
mail_test_certs_new (GError **error)
{
  g_autoptr (MailTestCerts) certs = g_new0 (MailTestCerts, 1);
  const char *server_ext = "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                           "basicConstraints=CA:FALSE\n"
                           "extendedKeyUsage=serverAuth\n";
  const char *other_ext = "subjectAltName=DNS:other.example.test\n"
                          "basicConstraints=CA:FALSE\n"
                          "extendedKeyUsage=serverAuth\n";

  certs->dir = g_dir_make_tmp ("mail-test-certs-XXXXXX", error);
  if (certs->dir == NULL)
    return NULL;

  if (!run_openssl (certs->dir, error, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out",
                    "ca.pem", "-days", "30", "-subj", "/CN=Mail Test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL)
      || !make_key_and_request (certs->dir, "server", "/CN=localhost", error)
      || !sign_request (certs->dir, "server", "good.pem", "30", server_ext, error)
      || !sign_request (certs->dir, "server", "expired.pem", "-1", server_ext, error)
      || !make_key_and_request (certs->dir, "other", "/CN=other.example.test", error)
      || !sign_request (certs->dir, "other", "wrong-host.pem", "30", other_ext, error)
      || !run_openssl (certs->dir, error, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "self.key", "-out",
                       "self-signed.pem", "-days", "30", "-subj", "/CN=localhost",
                       "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", NULL))
    return NULL;

  certs->ca_file = g_build_filename (certs->dir, "ca.pem", NULL);
  certs->good = load (certs->dir, "good.pem", "server.key", &certs->good_file, error);
  if (certs->good == NULL)
    return NULL;
  certs->expired = load (certs->dir, "expired.pem", "server.key", &certs->expired_file, error);
  if (certs->expired == NULL)
    return NULL;
  certs->wrong_host = load (certs->dir, "wrong-host.pem", "other.key", &certs->wrong_host_file,
                            error);
  if (certs->wrong_host == NULL)
    return NULL;
  certs->self_signed = load (certs->dir, "self-signed.pem", "self.key",
                             &certs->self_signed_file, error);
  if (certs->self_signed == NULL)
    return NULL;

  return g_steal_pointer (&certs);
}

/**
 * mail_test_certs_openssl_fingerprint:
 * @certs: test certificates
 * @pem_file: a certificate file
 *
 * Returns: (transfer full): the SHA-256 fingerprint openssl reports ("AB:CD:…"), for
 *   checking ours against an independent one
 */
char *
mail_test_certs_openssl_fingerprint (MailTestCerts *certs,
                                     const char    *pem_file)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *out = NULL;
  const char *argv[] = { openssl, "x509", "-in", pem_file, "-noout", "-fingerprint", "-sha256",
                         NULL };
  const char *equals;
  int status = 0;

  if (openssl == NULL
      || !g_spawn_sync (certs->dir, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                        &out, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    return NULL;

  equals = strchr (out, '=');
  if (equals == NULL)
    return NULL;

  return g_strstrip (g_strdup (equals + 1));
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }

  g_rmdir (dir);
}

/**
 * mail_test_certs_free:
 * @certs: (transfer full): test certificates
 *
 * Frees @certs and deletes their directory.
 */
void
mail_test_certs_free (MailTestCerts *certs)
{
  if (certs == NULL)
    return;

  if (certs->dir != NULL)
    remove_tree (certs->dir);

  g_clear_pointer (&certs->dir, g_free);
  g_clear_pointer (&certs->ca_file, g_free);
  g_clear_object (&certs->good);
  g_clear_object (&certs->expired);
  g_clear_object (&certs->wrong_host);
  g_clear_object (&certs->self_signed);
  g_clear_pointer (&certs->good_file, g_free);
  g_clear_pointer (&certs->expired_file, g_free);
  g_clear_pointer (&certs->wrong_host_file, g_free);
  g_clear_pointer (&certs->self_signed_file, g_free);
  g_free (certs);
}
