/* test-autoconfig-dns.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The parts of the DNS source that need no name server: the domain helpers and the
 * RFC 2782 order of SRV records, with a fixed random source; and the lookups against a
 * resolver with fixed answers.
 */

#include "config.h"

#include <string.h>

#include "mail-autoconfig-dns-private.h"

static void
assert_parent (const char *host,
               const char *expected)
{
  g_autofree char *parent = mail_autoconfig_domain_parent (host);

  g_assert_cmpstr (parent, ==, expected);
}

static void
test_domain_parent (void)
{
  assert_parent ("mx1.mail.provider.net", "mail.provider.net");
  assert_parent ("mail.provider.net", "provider.net");
  assert_parent ("MX1.Mail.Provider.NET.", "mail.provider.net");
  /* Never a single label. */
  assert_parent ("provider.net", NULL);
  assert_parent ("provider.net.", NULL);
  assert_parent ("net", NULL);
  assert_parent ("", NULL);
}

static void
assert_registrable (const char *host,
                    const char *expected)
{
  g_autofree char *registrable = mail_autoconfig_domain_registrable (host);

  g_assert_cmpstr (registrable, ==, expected);
}

static void
test_domain_registrable (void)
{
  assert_registrable ("mx1.mail.provider.co.uk", "provider.co.uk");
  assert_registrable ("provider.co.uk", "provider.co.uk");
  assert_registrable ("mx.example.com", "example.com");
  assert_registrable ("MX.Example.COM.", "example.com");
  assert_registrable ("smtp.example.org", "example.org");
  /* Public suffixes themselves have no registrable domain. */
  assert_registrable ("co.uk", NULL);
  assert_registrable ("com", NULL);
  /* A top-level domain the list does not know falls under its default rule "*". */
  assert_registrable ("mx.mailhost.test", "mailhost.test");
  assert_registrable ("a.b.mailhost.test.", "mailhost.test");
  assert_registrable ("mailhost.test", "mailhost.test");
  assert_registrable ("localhost", NULL);
  assert_registrable ("x..test", NULL);
  /* Addresses are not domains. */
  assert_registrable ("127.0.0.1", NULL);
  assert_registrable ("::1", NULL);
  assert_registrable ("", NULL);
}

static void
test_domain_contains (void)
{
  g_assert_true (mail_autoconfig_domain_contains ("provider.net", "provider.net"));
  g_assert_true (mail_autoconfig_domain_contains ("provider.net", "mx1.provider.net"));
  g_assert_true (mail_autoconfig_domain_contains ("provider.net", "a.b.provider.net"));
  g_assert_true (mail_autoconfig_domain_contains ("Provider.NET.", "MX1.provider.net."));
  g_assert_true (mail_autoconfig_domain_contains ("provider.net.", "provider.net"));
  /* A suffix that is not at a label boundary is another domain. */
  g_assert_false (mail_autoconfig_domain_contains ("provider.net", "badprovider.net"));
  g_assert_false (mail_autoconfig_domain_contains ("provider.net", "provider.net.evil.com"));
  g_assert_false (mail_autoconfig_domain_contains ("mx1.provider.net", "provider.net"));
  g_assert_false (mail_autoconfig_domain_contains ("provider.net", "net"));
  g_assert_false (mail_autoconfig_domain_contains ("", "provider.net"));
  g_assert_false (mail_autoconfig_domain_contains ("provider.net", ""));
}

static MailAutoconfigSrv *
srv_new (const char *host,
         guint16     priority,
         guint16     weight)
{
  MailAutoconfigSrv *srv = g_new0 (MailAutoconfigSrv, 1);

  srv->service = g_strdup ("imaps");
  srv->protocol = MAIL_PROTOCOL_IMAP;
  srv->security = MAIL_SECURITY_TLS;
  srv->host = g_strdup (host);
  srv->port = 993;
  srv->priority = priority;
  srv->weight = weight;

  return srv;
}

static GPtrArray *
records_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_srv_free);
}

static const char *
host_at (GPtrArray *records,
         guint      index)
{
  g_assert_cmpuint (index, <, records->len);

  return ((MailAutoconfigSrv *) records->pdata[index])->host;
}

static char *
hosts_joined (GPtrArray *records)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < records->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, host_at (records, i));
    }

  return g_string_free (out, FALSE);
}

static void
test_srv_sort_priority (void)
{
  g_autoptr (GPtrArray) records = records_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  g_autofree char *order = NULL;

  g_ptr_array_add (records, srv_new ("c", 30, 0));
  g_ptr_array_add (records, srv_new ("a", 10, 0));
  g_ptr_array_add (records, srv_new ("d", 65535, 0));
  g_ptr_array_add (records, srv_new ("b", 20, 0));

  _mail_autoconfig_srv_sort (records, rand);
  order = hosts_joined (records);
  g_assert_cmpstr (order, ==, "a b c d");
  /* The array keeps its records and its free function. */
  g_assert_cmpuint (records->len, ==, 4);
}

static void
test_srv_sort_zero_weights (void)
{
  /* All weights 0: every draw is 0 and the records keep the order they came in. */
  for (guint32 seed = 1; seed <= 50; seed++)
    {
      g_autoptr (GPtrArray) records = records_new ();
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
      g_autofree char *order = NULL;

      g_ptr_array_add (records, srv_new ("z2", 20, 0));
      g_ptr_array_add (records, srv_new ("x", 10, 0));
      g_ptr_array_add (records, srv_new ("y", 10, 0));
      g_ptr_array_add (records, srv_new ("z1", 10, 0));

      _mail_autoconfig_srv_sort (records, rand);
      order = hosts_joined (records);
      g_assert_cmpstr (order, ==, "x y z1 z2");
    }
}

static void
test_srv_sort_zero_weight_first (void)
{
  guint zero_first = 0;
  const guint runs = 1000;

  /* RFC 2782: weight-0 records are put first in the running sum, so one is picked only
   * when the draw (0 to 100 here) is 0; a record of weight 100 is picked otherwise. The
   * zero-weight record comes last in the input, to show it is moved to the front. */
  for (guint32 seed = 1; seed <= runs; seed++)
    {
      g_autoptr (GPtrArray) records = records_new ();
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed);

      g_ptr_array_add (records, srv_new ("heavy", 5, 100));
      g_ptr_array_add (records, srv_new ("zero", 5, 0));
      g_ptr_array_add (records, srv_new ("later", 6, 100));

      _mail_autoconfig_srv_sort (records, rand);
      g_assert_cmpuint (records->len, ==, 3);
      /* Both orders keep the priorities apart. */
      g_assert_cmpstr (host_at (records, 2), ==, "later");
      if (g_str_equal (host_at (records, 0), "zero"))
        {
          zero_first++;
          g_assert_cmpstr (host_at (records, 1), ==, "heavy");
        }
      else
        {
          g_assert_cmpstr (host_at (records, 0), ==, "heavy");
          g_assert_cmpstr (host_at (records, 1), ==, "zero");
        }
    }

  /* About 1 in 101; with these fixed seeds the count is fixed too. */
  g_assert_cmpuint (zero_first, >, 0);
  g_assert_cmpuint (zero_first, <, 40);
}

static void
test_srv_sort_weighted (void)
{
  guint light_first = 0;
  const guint runs = 2000;

  /* Weights 1 and 9: the draw is 0 to 10 and "light" (first in the sum) is taken for 0
   * and 1, that is 2 times in 11. */
  for (guint32 seed = 1; seed <= runs; seed++)
    {
      g_autoptr (GPtrArray) records = records_new ();
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed);

      g_ptr_array_add (records, srv_new ("light", 1, 1));
      g_ptr_array_add (records, srv_new ("heavy", 1, 9));

      _mail_autoconfig_srv_sort (records, rand);
      if (g_str_equal (host_at (records, 0), "light"))
        light_first++;
    }

  g_assert_cmpuint (light_first, >, runs * 2 / 11 - 120);
  g_assert_cmpuint (light_first, <, runs * 2 / 11 + 120);
}

static void
test_srv_sort_deterministic (void)
{
  g_autofree char *first = NULL;
  gboolean differs = FALSE;

  /* The same seed gives the same order; other seeds give other orders. */
  for (guint32 seed = 1; seed <= 20; seed++)
    {
      char *order[2] = { NULL, NULL };

      for (guint run = 0; run < 2; run++)
        {
          g_autoptr (GPtrArray) records = records_new ();
          g_autoptr (GRand) rand = g_rand_new_with_seed (seed);

          g_ptr_array_add (records, srv_new ("p2-a", 2, 10));
          g_ptr_array_add (records, srv_new ("p1-a", 1, 10));
          g_ptr_array_add (records, srv_new ("p1-b", 1, 20));
          g_ptr_array_add (records, srv_new ("p1-c", 1, 30));
          g_ptr_array_add (records, srv_new ("p2-b", 2, 10));
          g_ptr_array_add (records, srv_new ("p1-d", 1, 0));

          _mail_autoconfig_srv_sort (records, rand);
          g_assert_cmpuint (records->len, ==, 6);
          for (guint i = 0; i < 4; i++)
            g_assert_true (g_str_has_prefix (host_at (records, i), "p1-"));
          for (guint i = 4; i < 6; i++)
            g_assert_true (g_str_has_prefix (host_at (records, i), "p2-"));
          order[run] = hosts_joined (records);
        }

      g_assert_cmpstr (order[0], ==, order[1]);
      if (first == NULL)
        first = g_strdup (order[0]);
      else if (!g_str_equal (first, order[0]))
        differs = TRUE;
      g_free (order[0]);
      g_free (order[1]);
    }

  g_assert_true (differs);
}

static void
test_srv_sort_empty (void)
{
  g_autoptr (GPtrArray) records = records_new ();

  _mail_autoconfig_srv_sort (records, NULL);
  g_assert_cmpuint (records->len, ==, 0);

  g_ptr_array_add (records, srv_new ("only", 0, 0));
  _mail_autoconfig_srv_sort (records, NULL);
  g_assert_cmpstr (host_at (records, 0), ==, "only");
}

/* A resolver with fixed answers, for the lookups' handling of what the DNS says. */

#define FAKE_TYPE_RESOLVER (fake_resolver_get_type ())
G_DECLARE_FINAL_TYPE (FakeResolver, fake_resolver, FAKE, RESOLVER, GResolver)

struct _FakeResolver
{
  GResolver   parent_instance;
  GHashTable *answers;  /* "TYPE name" -> GVariant array of records, or a GError */
  GHashTable *errors;
  guint       lookups;
};

G_DEFINE_FINAL_TYPE (FakeResolver, fake_resolver, G_TYPE_RESOLVER)

static void
fake_resolver_lookup_records_async (GResolver           *resolver,
                                    const char          *rrname,
                                    GResolverRecordType  record_type,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  FakeResolver *self = FAKE_RESOLVER (resolver);
  g_autoptr (GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  g_autofree char *key = g_strdup_printf ("%s %s",
                                          record_type == G_RESOLVER_RECORD_MX ? "MX" : "SRV",
                                          rrname);
  GVariant *records = g_hash_table_lookup (self->answers, key);
  const GError *error = g_hash_table_lookup (self->errors, key);
  GList *list = NULL;

  self->lookups++;
  if (g_task_return_error_if_cancelled (task))
    return;

  if (error != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  if (records == NULL)
    {
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                               "No DNS record of the requested type for %s", rrname);
      return;
    }

  for (gsize i = g_variant_n_children (records); i > 0; i--)
    list = g_list_prepend (list, g_variant_get_child_value (records, i - 1));
  g_task_return_pointer (task, list, NULL);
}

static GList *
fake_resolver_lookup_records_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fake_resolver_finalize (GObject *object)
{
  FakeResolver *self = FAKE_RESOLVER (object);

  g_hash_table_unref (self->answers);
  g_hash_table_unref (self->errors);

  G_OBJECT_CLASS (fake_resolver_parent_class)->finalize (object);
}

static void
fake_resolver_class_init (FakeResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_resolver_finalize;
  G_RESOLVER_CLASS (klass)->lookup_records_async = fake_resolver_lookup_records_async;
  G_RESOLVER_CLASS (klass)->lookup_records_finish = fake_resolver_lookup_records_finish;
}

static void
fake_resolver_init (FakeResolver *self)
{
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_variant_unref);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_error_free);
}

static void
fake_resolver_add (FakeResolver *self,
                   const char   *key,
                   const char   *records_text)
{
  g_autoptr (GError) error = NULL;
  GVariant *records = g_variant_parse (NULL, records_text, NULL, NULL, &error);

  g_assert_no_error (error);
  g_hash_table_replace (self->answers, g_strdup (key), g_variant_ref_sink (records));
}

static void
fake_resolver_fail (FakeResolver *self,
                    const char   *key,
                    GError       *error)
{
  g_hash_table_replace (self->errors, g_strdup (key), error);
}

typedef struct
{
  gpointer  result;
  GError   *error;
  gboolean  done;
} Lookup;

static void
mx_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->result = mail_autoconfig_dns_lookup_mx_finish (result, &lookup->error);
  lookup->done = TRUE;
}

static void
srv_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->result = mail_autoconfig_dns_lookup_srv_finish (result, &lookup->error);
  lookup->done = TRUE;
}

static void
lookup_wait (Lookup *lookup)
{
  /* Asynchronous: never answered before the main loop runs. */
  g_assert_false (lookup->done);
  while (!lookup->done)
    g_main_context_iteration (NULL, TRUE);
}

static char *
lookup_mx (GResolver   *resolver,
           const char  *domain,
           GError     **error)
{
  Lookup lookup = { NULL, NULL, FALSE };

  mail_autoconfig_dns_lookup_mx_async (resolver, domain, NULL, mx_done_cb, &lookup);
  lookup_wait (&lookup);
  if (lookup.error != NULL)
    g_propagate_error (error, lookup.error);

  return lookup.result;
}

static void
test_mx_answers (void)
{
  g_autoptr (FakeResolver) resolver = g_object_new (FAKE_TYPE_RESOLVER, NULL);
  g_autofree char *best = NULL;
  g_autofree char *none = NULL;
  g_autofree char *null_mx = NULL;
  g_autofree char *broken = NULL;
  g_autoptr (GError) error = NULL;

  /* The lowest preference wins, whatever the order; the answer is normalized. */
  fake_resolver_add (resolver, "MX provider.test",
                     "[(uint16 20, 'backup.provider.test'), (uint16 5, 'MX1.Provider.TEST.'), "
                     "(uint16 10, 'mx2.provider.test')]");
  /* RFC 7505 "null MX": the domain takes no mail. */
  fake_resolver_add (resolver, "MX nomail.test", "[(uint16 0, '.')]");
  fake_resolver_fail (resolver, "MX broken.test",
                      g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                                           "Temporary failure in name resolution"));

  best = lookup_mx (G_RESOLVER (resolver), "Provider.test.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (best, ==, "mx1.provider.test");

  none = lookup_mx (G_RESOLVER (resolver), "missing.test", &error);
  g_assert_null (none);
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no MX record"));
  g_clear_error (&error);

  null_mx = lookup_mx (G_RESOLVER (resolver), "nomail.test", &error);
  g_assert_null (null_mx);
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A failure of the name servers is told apart from a domain without MX. */
  broken = lookup_mx (G_RESOLVER (resolver), "broken.test", &error);
  g_assert_null (broken);
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  g_assert_null (strstr (error->message, "no MX record"));
  g_assert_nonnull (strstr (error->message, "broken.test"));
  g_clear_error (&error);

  /* Not a domain at all: refused without asking. */
  resolver->lookups = 0;
  g_assert_null (lookup_mx (G_RESOLVER (resolver), "192.0.2.1", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (resolver->lookups, ==, 0);
}

static MailAutoconfigSrvAnswer *
lookup_srv (GResolver   *resolver,
            const char  *domain,
            GError     **error)
{
  Lookup lookup = { NULL, NULL, FALSE };

  mail_autoconfig_dns_lookup_srv_async (resolver, domain, NULL, srv_done_cb, &lookup);
  lookup_wait (&lookup);
  if (lookup.error != NULL)
    g_propagate_error (error, lookup.error);

  return lookup.result;
}

static void
test_srv_answers (void)
{
  g_autoptr (FakeResolver) resolver = g_object_new (FAKE_TYPE_RESOLVER, NULL);
  g_autoptr (MailAutoconfigSrvAnswer) answer = NULL;
  g_autoptr (GError) error = NULL;
  MailAutoconfigSrv *srv;

  /* (priority, weight, port, target) */
  fake_resolver_add (resolver, "SRV _submissions._tcp.provider.test",
                     "[(uint16 0, uint16 0, uint16 465, 'Smtp.Provider.test.')]");
  /* Decidedly not offered: a single "." target. */
  fake_resolver_add (resolver, "SRV _submission._tcp.provider.test",
                     "[(uint16 0, uint16 0, uint16 0, '.')]");
  /* Priority order, and a record with port 0 dropped. */
  fake_resolver_add (resolver, "SRV _imaps._tcp.provider.test",
                     "[(uint16 20, uint16 0, uint16 993, 'imap2.provider.test'), "
                     "(uint16 10, uint16 0, uint16 993, 'imap1.provider.test'), "
                     "(uint16 5, uint16 0, uint16 0, 'zero-port.provider.test')]");
  /* "." among other records is just dropped. */
  fake_resolver_add (resolver, "SRV _pop3s._tcp.provider.test",
                     "[(uint16 0, uint16 0, uint16 0, '.'), "
                     "(uint16 1, uint16 0, uint16 995, 'pop.provider.test')]");
  fake_resolver_fail (resolver, "SRV _pop3._tcp.provider.test",
                      g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                                           "timed out"));
  /* _imap._tcp: no record at all. */

  answer = lookup_srv (G_RESOLVER (resolver), "provider.test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpuint (resolver->lookups, ==, 6);

  g_assert_cmpuint (answer->not_offered->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (answer->not_offered, 0), ==, "submission");

  g_assert_cmpuint (answer->records->len, ==, 4);
  srv = g_ptr_array_index (answer->records, 0);
  g_assert_cmpstr (srv->service, ==, "submissions");
  g_assert_cmpint (srv->protocol, ==, MAIL_PROTOCOL_SMTP);
  g_assert_cmpint (srv->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpstr (srv->host, ==, "smtp.provider.test");
  g_assert_cmpuint (srv->port, ==, 465);
  srv = g_ptr_array_index (answer->records, 1);
  g_assert_cmpstr (srv->service, ==, "imaps");
  g_assert_cmpint (srv->protocol, ==, MAIL_PROTOCOL_IMAP);
  g_assert_cmpstr (srv->host, ==, "imap1.provider.test");
  g_assert_cmpuint (srv->priority, ==, 10);
  srv = g_ptr_array_index (answer->records, 2);
  g_assert_cmpstr (srv->host, ==, "imap2.provider.test");
  srv = g_ptr_array_index (answer->records, 3);
  g_assert_cmpstr (srv->service, ==, "pop3s");
  g_assert_cmpint (srv->protocol, ==, MAIL_PROTOCOL_POP3);
  g_assert_cmpint (srv->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpstr (srv->host, ==, "pop.provider.test");
}

static void
test_srv_all_failed (void)
{
  static const char *services[] = {
    "submissions", "submission", "imaps", "imap", "pop3s", "pop3",
  };
  g_autoptr (FakeResolver) resolver = g_object_new (FAKE_TYPE_RESOLVER, NULL);
  g_autoptr (MailAutoconfigSrvAnswer) empty = NULL;
  g_autoptr (MailAutoconfigSrvAnswer) failed = NULL;
  g_autoptr (GError) error = NULL;

  /* No record anywhere: an empty answer. */
  empty = lookup_srv (G_RESOLVER (resolver), "nothing.test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->records->len, ==, 0);
  g_assert_cmpuint (empty->not_offered->len, ==, 0);

  /* No name server answered at all: an error, not an empty answer. */
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autofree char *key = g_strdup_printf ("SRV _%s._tcp.offline.test", services[i]);

      fake_resolver_fail (resolver, key,
                          g_error_new_literal (G_RESOLVER_ERROR,
                                               G_RESOLVER_ERROR_TEMPORARY_FAILURE, "timed out"));
    }
  failed = lookup_srv (G_RESOLVER (resolver), "offline.test", &error);
  g_assert_null (failed);
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  g_assert_nonnull (strstr (error->message, "offline.test"));
}

int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: nothing here touches the user's directories, and
   * GLib 2.74 leaks the isolated paths of each test case, which fails the ASan build. */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/autoconfig/dns/domain/parent", test_domain_parent);
  g_test_add_func ("/mail/autoconfig/dns/domain/registrable", test_domain_registrable);
  g_test_add_func ("/mail/autoconfig/dns/domain/contains", test_domain_contains);
  g_test_add_func ("/mail/autoconfig/dns/srv-sort/priority", test_srv_sort_priority);
  g_test_add_func ("/mail/autoconfig/dns/srv-sort/zero-weights", test_srv_sort_zero_weights);
  g_test_add_func ("/mail/autoconfig/dns/srv-sort/zero-weight-first",
                   test_srv_sort_zero_weight_first);
  g_test_add_func ("/mail/autoconfig/dns/srv-sort/weighted", test_srv_sort_weighted);
  g_test_add_func ("/mail/autoconfig/dns/srv-sort/deterministic", test_srv_sort_deterministic);
  g_test_add_func ("/mail/autoconfig/dns/srv-sort/empty", test_srv_sort_empty);
  g_test_add_func ("/mail/autoconfig/dns/lookup/mx", test_mx_answers);
  g_test_add_func ("/mail/autoconfig/dns/lookup/srv", test_srv_answers);
  g_test_add_func ("/mail/autoconfig/dns/lookup/srv-all-failed", test_srv_all_failed);

  return g_test_run ();
}
