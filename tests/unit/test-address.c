/* test-address.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-address.h"

static void
test_plausible (void)
{
  struct {
    const char *address;
    const char *local_part;
    const char *domain;
  } cases[] = {
    { "alice@example.test", "alice", "example.test" },
    { "  Alice.Smith+tag@Example.TEST ", "Alice.Smith+tag", "example.test" },
    { "bob@mail.example.co.uk", "bob", "mail.example.co.uk" },
    { "jörg@bücher.example", "jörg", "bücher.example" },
    { "user@xn--bcher-kva.example", "user", "bücher.example" },
    { "a\"b@wrong\"@example.test", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *local_part = NULL;
      g_autofree char *domain = NULL;
      gboolean ok = mail_address_parse (cases[i].address, &local_part, &domain);

      g_test_message ("%s", cases[i].address);
      g_assert_cmpint (ok, ==, cases[i].local_part != NULL);
      g_assert_cmpstr (local_part, ==, cases[i].local_part);
      g_assert_cmpstr (domain, ==, cases[i].domain);
    }
}

static void
test_implausible (void)
{
  const char *cases[] = {
    "", "alice", "alice@", "@example.test", "alice@example", "alice@@example.test",
    "alice smith@example.test", "alice@exa mple.test", "alice@-example.test",
    "alice@example-.test", "alice@example..test", ".alice@example.test", "alice.@example.test",
    "alice@127.0.0.1", "alice@[127.0.0.1]", "al\nice@example.test", "alice@example.test\r\n.",
    "<alice@example.test>", "alice@ex_ample.test",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *local_part = NULL;
      g_autofree char *domain = NULL;

      g_test_message ("%s", cases[i]);
      g_assert_false (mail_address_parse (cases[i], &local_part, &domain));
      g_assert_null (local_part);
      g_assert_null (domain);
    }

  g_assert_false (mail_address_parse (NULL, NULL, NULL));
  g_assert_false (mail_address_parse ("\xff\xfe@example.test", NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/address/plausible", test_plausible);
  g_test_add_func ("/mail/address/implausible", test_implausible);

  return g_test_run ();
}
