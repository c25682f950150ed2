/* mail-autoconfig-dns.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the DNS says about a mail domain: its MX host (whose domain often names the real
 * provider) and its RFC 6186 / RFC 8314 SRV records. The SRV records are asked for with
 * g_resolver_lookup_records_async() rather than g_resolver_lookup_service_async(), because
 * only the raw records show the "." target a domain uses to say that it does not offer a
 * service.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mail-task.h"
#include "mail-autoconfig-dns-private.h"

/* Host names as the DNS gives them and as they are compared: ASCII, lower case, without
 * the trailing dot of the root. */
static char *
normalize_host (const char *host)
{
  char *normal = g_ascii_strdown (host, -1);
  gsize len = strlen (normal);

  while (len > 0 && normal[len - 1] == '.')
    normal[--len] = '\0';

  return normal;
}

/* The domain as the resolver is asked: ASCII (IDNA for Unicode names). */
static char *
domain_to_ascii (const char  *domain,
                 GError     **error)
{
  g_autofree char *ascii = g_hostname_to_ascii (domain);

  if (ascii == NULL || *ascii == '\0' || g_hostname_is_ip_address (ascii))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a domain name."), domain);
      return NULL;
    }

  return normalize_host (ascii);
}

/* MX */

static void
lookup_mx_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  const char *domain = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GList *records;
  const char *best = NULL;
  guint16 best_preference = 0;
  g_autofree char *host = NULL;

  records = g_resolver_lookup_records_finish (G_RESOLVER (source), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                                 _("The domain %s names no mail server (it has no MX "
                                   "record)."), domain);
      else if (error->domain == G_RESOLVER_ERROR)
        g_task_return_new_error (task, G_RESOLVER_ERROR, error->code,
                                 _("The mail server of %s could not be looked up: the name "
                                   "servers did not answer (%s)."), domain, error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 preference;
      const char *exchange;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qs)")))
        continue;
      g_variant_get (l->data, "(q&s)", &preference, &exchange);
      if (best == NULL || preference < best_preference)
        {
          best = exchange;
          best_preference = preference;
        }
    }

  if (best != NULL)
    host = normalize_host (best);
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  /* RFC 7505: a single "." exchange is a domain that accepts no mail at all. */
  if (host == NULL || *host == '\0')
    {
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                               _("The domain %s names no mail server (it has no MX "
                                 "record)."), domain);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&host), g_free);
}

/**
 * mail_autoconfig_dns_lookup_mx_async:
 * @resolver: (nullable): the resolver, or %NULL for the default one
 * @domain: the mail domain, such as "example.org"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the lookup is done
 * @user_data: data for @callback
 *
 * Looks up the MX records of @domain, to learn the host of the most preferred one.
 */
void
mail_autoconfig_dns_lookup_mx_async (GResolver           *resolver,
                                     const char          *domain,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr (GResolver) default_resolver = NULL;
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  char *ascii;

  g_return_if_fail (resolver == NULL || G_IS_RESOLVER (resolver));
  g_return_if_fail (domain != NULL);

  task = mail_task_new (NULL, mail_autoconfig_dns_lookup_mx_async,
                        "mail_autoconfig_dns_lookup_mx_async", G_PRIORITY_DEFAULT, cancellable,
                        callback, user_data);

  ascii = domain_to_ascii (domain, &error);
  if (ascii == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, ascii, g_free);

  if (resolver == NULL)
    resolver = default_resolver = g_resolver_get_default ();

  g_resolver_lookup_records_async (resolver, ascii, G_RESOLVER_RECORD_MX, cancellable,
                                   lookup_mx_cb, g_steal_pointer (&task));
}

/**
 * mail_autoconfig_dns_lookup_mx_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError; %G_RESOLVER_ERROR_NOT_FOUND when the domain has
 *   no MX record (or does not exist), another %G_RESOLVER_ERROR when the name servers
 *   could not be asked
 *
 * Returns: (transfer full): the host of the MX record with the lowest preference: ASCII,
 *   lower case, without the trailing dot
 */
char *
mail_autoconfig_dns_lookup_mx_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_autoconfig_dns_lookup_mx_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* SRV */

typedef struct
{
  const char   *service;
  MailProtocol  protocol;
  MailSecurity  security;
} SrvService;

/* In the order of the answer: implicit TLS before STARTTLS (RFC 8314), sending first. */
static const SrvService srv_services[] = {
  { "submissions", MAIL_PROTOCOL_SMTP, MAIL_SECURITY_TLS },
  { "submission", MAIL_PROTOCOL_SMTP, MAIL_SECURITY_STARTTLS },
  { "imaps", MAIL_PROTOCOL_IMAP, MAIL_SECURITY_TLS },
  { "imap", MAIL_PROTOCOL_IMAP, MAIL_SECURITY_STARTTLS },
  { "pop3s", MAIL_PROTOCOL_POP3, MAIL_SECURITY_TLS },
  { "pop3", MAIL_PROTOCOL_POP3, MAIL_SECURITY_STARTTLS },
};

#define N_SRV_SERVICES G_N_ELEMENTS (srv_services)

typedef struct
{
  char      *domain;
  guint      pending;
  GPtrArray *records[N_SRV_SERVICES];
  gboolean   not_offered[N_SRV_SERVICES];
  gboolean   answered[N_SRV_SERVICES];
  GError    *error;
} SrvData;

static void
srv_data_free (SrvData *data)
{
  g_free (data->domain);
  for (guint i = 0; i < N_SRV_SERVICES; i++)
    g_clear_pointer (&data->records[i], g_ptr_array_unref);
  g_clear_error (&data->error);
  g_free (data);
}

/**
 * mail_autoconfig_srv_free:
 * @srv: (transfer full) (nullable): a record
 */
void
mail_autoconfig_srv_free (MailAutoconfigSrv *srv)
{
  if (srv == NULL)
    return;

  g_free (srv->service);
  g_free (srv->host);
  g_free (srv);
}

/**
 * mail_autoconfig_srv_answer_free:
 * @answer: (transfer full) (nullable): an answer
 */
void
mail_autoconfig_srv_answer_free (MailAutoconfigSrvAnswer *answer)
{
  if (answer == NULL)
    return;

  g_clear_pointer (&answer->records, g_ptr_array_unref);
  g_clear_pointer (&answer->not_offered, g_ptr_array_unref);
  g_free (answer);
}

static int
compare_priority (gconstpointer a,
                  gconstpointer b)
{
  const MailAutoconfigSrv *srv_a = *(MailAutoconfigSrv * const *) a;
  const MailAutoconfigSrv *srv_b = *(MailAutoconfigSrv * const *) b;

  return (int) srv_a->priority - (int) srv_b->priority;
}

/**
 * _mail_autoconfig_srv_sort:
 * @records: (element-type MailAutoconfigSrv): the records of one service
 * @rand: (nullable): the random source, or %NULL for GLib's global one
 *
 * Puts @records in the order RFC 2782 says to try them: by priority, lowest first, and
 * within a priority by a weighted random pick. For each place in turn, the records left
 * are lined up with the weight-0 ones first, a number from 0 to the sum of their weights
 * is drawn, and the first record whose running sum of weights reaches it is taken. A
 * record of weight 0 is thus only taken first when the draw is 0, or when every weight
 * left is 0 (then they keep their order). The same @rand seed gives the same order.
 */
void
_mail_autoconfig_srv_sort (GPtrArray *records,
                           GRand     *rand)
{
  g_autoptr (GPtrArray) sorted = NULL;
  guint start = 0;

  g_return_if_fail (records != NULL);

  /* GLib's sort is stable: records of one priority keep the order they came in. */
  g_ptr_array_sort (records, compare_priority);
  sorted = g_ptr_array_new_full (records->len, NULL);

  while (start < records->len)
    {
      g_autoptr (GPtrArray) group = g_ptr_array_new ();
      guint16 priority = ((MailAutoconfigSrv *) records->pdata[start])->priority;
      guint end = start;

      /* The group of this priority, weight-0 records first. */
      for (end = start; end < records->len; end++)
        {
          MailAutoconfigSrv *srv = records->pdata[end];

          if (srv->priority != priority)
            break;
          if (srv->weight == 0)
            g_ptr_array_add (group, srv);
        }
      for (guint i = start; i < end; i++)
        {
          MailAutoconfigSrv *srv = records->pdata[i];

          if (srv->weight != 0)
            g_ptr_array_add (group, srv);
        }

      while (group->len > 0)
        {
          guint32 total = 0;
          guint32 pick;
          guint32 running = 0;
          guint chosen = 0;

          for (guint i = 0; i < group->len; i++)
            total += ((MailAutoconfigSrv *) group->pdata[i])->weight;

          if (total == 0)
            pick = 0;
          else if (rand != NULL)
            pick = (guint32) g_rand_int_range (rand, 0, (gint32) total + 1);
          else
            pick = (guint32) g_random_int_range (0, (gint32) total + 1);

          for (chosen = 0; chosen < group->len; chosen++)
            {
              running += ((MailAutoconfigSrv *) group->pdata[chosen])->weight;
              if (running >= pick)
                break;
            }
          g_assert (chosen < group->len);

          g_ptr_array_add (sorted, group->pdata[chosen]);
          g_ptr_array_remove_index (group, chosen);
        }

      start = end;
    }

  /* Put the records back in their new order; @records keeps its free function. */
  for (guint i = 0; i < sorted->len; i++)
    records->pdata[i] = sorted->pdata[i];
}

static void
srv_maybe_finish (GTask *task)
{
  SrvData *data = g_task_get_task_data (task);
  g_autoptr (MailAutoconfigSrvAnswer) answer = NULL;
  gboolean any_answer = FALSE;

  if (--data->pending > 0)
    return;

  if (g_task_return_error_if_cancelled (task))
    return;

  answer = g_new0 (MailAutoconfigSrvAnswer, 1);
  answer->records = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_srv_free);
  answer->not_offered = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < N_SRV_SERVICES; i++)
    {
      any_answer |= data->answered[i];
      if (data->not_offered[i])
        g_ptr_array_add (answer->not_offered, g_strdup (srv_services[i].service));
      if (data->records[i] == NULL)
        continue;

      _mail_autoconfig_srv_sort (data->records[i], NULL);
      for (guint j = 0; j < data->records[i]->len; j++)
        g_ptr_array_add (answer->records, g_steal_pointer (&data->records[i]->pdata[j]));
      g_ptr_array_set_free_func (data->records[i], NULL);
    }

  /* Only a failure of every lookup is an error: a domain without SRV records is usual. */
  if (!any_answer && data->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&answer),
                         (GDestroyNotify) mail_autoconfig_srv_answer_free);
}

typedef struct
{
  GTask *task;
  guint  index;
} SrvLookup;

static void
lookup_srv_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SrvLookup *lookup = user_data;
  g_autoptr (GTask) task = lookup->task;
  SrvData *data = g_task_get_task_data (task);
  const SrvService *service = &srv_services[lookup->index];
  g_autoptr (GError) error = NULL;
  GList *records;
  GPtrArray *usable;
  guint n_records = 0;
  guint n_null = 0;

  records = g_resolver_lookup_records_finish (G_RESOLVER (source), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        {
          /* No such name, or no SRV record there: the service is just not announced. */
          data->answered[lookup->index] = TRUE;
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
               data->error == NULL)
        {
          g_debug ("SRV _%s._tcp.%s: %s", service->service, data->domain, error->message);
          if (error->domain == G_RESOLVER_ERROR)
            data->error = g_error_new (G_RESOLVER_ERROR, error->code,
                                       _("The mail services of %s could not be looked up: "
                                         "the name servers did not answer (%s)."),
                                       data->domain, error->message);
          else
            data->error = g_steal_pointer (&error);
        }
      g_free (lookup);
      srv_maybe_finish (task);
      return;
    }

  data->answered[lookup->index] = TRUE;
  usable = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_srv_free);

  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 priority, weight, port;
      const char *target;
      g_autofree char *host = NULL;
      MailAutoconfigSrv *srv;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qqqs)")))
        continue;
      g_variant_get (l->data, "(qqq&s)", &priority, &weight, &port, &target);
      n_records++;
      host = normalize_host (target);
      if (*host == '\0')
        {
          n_null++;
          continue;
        }
      if (port == 0)
        continue;

      srv = g_new0 (MailAutoconfigSrv, 1);
      srv->service = g_strdup (service->service);
      srv->protocol = service->protocol;
      srv->security = service->security;
      srv->host = g_steal_pointer (&host);
      srv->port = port;
      srv->priority = priority;
      srv->weight = weight;
      g_ptr_array_add (usable, srv);
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  /* RFC 2782: a "." target, alone, means the service is decidedly not available. */
  if (n_records == 1 && n_null == 1)
    data->not_offered[lookup->index] = TRUE;

  if (usable->len > 0)
    data->records[lookup->index] = usable;
  else
    g_ptr_array_unref (usable);

  g_free (lookup);
  srv_maybe_finish (task);
}

/**
 * mail_autoconfig_dns_lookup_srv_async:
 * @resolver: (nullable): the resolver, or %NULL for the default one
 * @domain: the mail domain, such as "example.org"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when all six lookups are done
 * @user_data: data for @callback
 *
 * Looks up the RFC 6186 and RFC 8314 SRV records of @domain (`_submissions._tcp`,
 * `_submission._tcp`, `_imaps._tcp`, `_imap._tcp`, `_pop3s._tcp` and `_pop3._tcp`), all
 * at once.
 */
void
mail_autoconfig_dns_lookup_srv_async (GResolver           *resolver,
                                      const char          *domain,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr (GResolver) default_resolver = NULL;
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  SrvData *data;
  char *ascii;

  g_return_if_fail (resolver == NULL || G_IS_RESOLVER (resolver));
  g_return_if_fail (domain != NULL);

  task = mail_task_new (NULL, mail_autoconfig_dns_lookup_srv_async,
                        "mail_autoconfig_dns_lookup_srv_async", G_PRIORITY_DEFAULT,
                        cancellable, callback, user_data);

  ascii = domain_to_ascii (domain, &error);
  if (ascii == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (SrvData, 1);
  data->domain = ascii;
  data->pending = N_SRV_SERVICES;
  g_task_set_task_data (task, data, (GDestroyNotify) srv_data_free);

  if (resolver == NULL)
    resolver = default_resolver = g_resolver_get_default ();

  for (guint i = 0; i < N_SRV_SERVICES; i++)
    {
      g_autofree char *name = g_strdup_printf ("_%s._tcp.%s", srv_services[i].service, ascii);
      SrvLookup *lookup = g_new0 (SrvLookup, 1);

      lookup->task = g_object_ref (task);
      lookup->index = i;
      g_resolver_lookup_records_async (resolver, name, G_RESOLVER_RECORD_SRV, cancellable,
                                       lookup_srv_cb, lookup);
    }
}

/**
 * mail_autoconfig_dns_lookup_srv_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError; set only when no lookup could be made at all
 *   (the name servers did not answer) or on cancellation
 *
 * A domain without any of the records gives an empty answer, not an error.
 *
 * Returns: (transfer full): the usable records and the services that are not offered
 */
MailAutoconfigSrvAnswer *
mail_autoconfig_dns_lookup_srv_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_autoconfig_dns_lookup_srv_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Domain names */

/**
 * mail_autoconfig_domain_parent:
 * @host: a host or domain name, such as "mx1.mail.provider.net"
 *
 * The domain one label up: "mail.provider.net" for "mx1.mail.provider.net". The answer
 * is lower case and has no trailing dot. A single label is never returned: the parent of
 * "provider.net" is %NULL, not "net".
 *
 * Returns: (transfer full) (nullable): the parent domain, or %NULL
 */
char *
mail_autoconfig_domain_parent (const char *host)
{
  g_autofree char *normal = NULL;
  const char *dot;

  g_return_val_if_fail (host != NULL, NULL);

  normal = normalize_host (host);
  dot = strchr (normal, '.');
  if (dot == NULL || dot[1] == '\0' || strchr (dot + 1, '.') == NULL)
    return NULL;

  return g_strdup (dot + 1);
}

/**
 * mail_autoconfig_domain_registrable:
 * @host: a host name, such as "mx1.mail.provider.co.uk"
 *
 * The domain under a public suffix that @host belongs to ("provider.co.uk"), from
 * libsoup's copy of the Public Suffix List.
 *
 * libsoup knows no base domain for a name under a top-level domain that is not on the
 * list, such as the reserved ".test" or a private ".internal": it refuses
 * "mx.mailhost.test". The list's own algorithm has a default rule "*" for such names,
 * which makes the last label the public suffix; that rule is applied here, so
 * "mx.mailhost.test" gives "mailhost.test".
 *
 * Returns: (transfer full) (nullable): the registrable domain, lower case and without the
 *   trailing dot; %NULL when @host is an IP address, is itself a public suffix (such as
 *   "co.uk"), has a single label, or is not a valid host name
 */
char *
mail_autoconfig_domain_registrable (const char *host)
{
  g_autofree char *normal = NULL;
  g_autoptr (GError) error = NULL;
  const char *base;
  const char *last_dot;

  g_return_val_if_fail (host != NULL, NULL);

  normal = normalize_host (host);
  if (*normal == '\0' || g_hostname_is_ip_address (normal))
    return NULL;

  base = soup_tld_get_base_domain (normal, &error);
  if (base != NULL)
    return g_strdup (base);

  if (!g_error_matches (error, SOUP_TLD_ERROR, SOUP_TLD_ERROR_NO_BASE_DOMAIN) ||
      normal[0] == '.' || strstr (normal, "..") != NULL)
    return NULL;

  /* The default rule "*": the last two labels. */
  last_dot = strrchr (normal, '.');
  if (last_dot == NULL)
    return NULL;
  for (base = last_dot; base > normal && base[-1] != '.'; base--)
    ;

  return g_strdup (base);
}

/**
 * mail_autoconfig_domain_contains:
 * @domain: a domain, such as "provider.net"
 * @host: a host name, such as "mx1.provider.net"
 *
 * Whether @host is @domain or a name under it. Case and trailing dots do not matter;
 * "badprovider.net" is not under "provider.net".
 *
 * Returns: %TRUE if @host is in @domain
 */
gboolean
mail_autoconfig_domain_contains (const char *domain,
                                 const char *host)
{
  g_autofree char *normal_domain = NULL;
  g_autofree char *normal_host = NULL;
  gsize domain_len, host_len;

  g_return_val_if_fail (domain != NULL, FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  normal_domain = normalize_host (domain);
  normal_host = normalize_host (host);
  domain_len = strlen (normal_domain);
  host_len = strlen (normal_host);

  if (domain_len == 0 || host_len == 0)
    return FALSE;
  if (host_len == domain_len)
    return strcmp (normal_host, normal_domain) == 0;

  return host_len > domain_len &&
         normal_host[host_len - domain_len - 1] == '.' &&
         strcmp (normal_host + host_len - domain_len, normal_domain) == 0;
}
