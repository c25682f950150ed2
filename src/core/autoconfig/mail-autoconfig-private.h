/* mail-autoconfig-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The detection's state, shared by the pieces of the orchestrator:
 *   mail-autoconfig.c          the object, a detection's lifetime, its timers and the
 *                              state machine that moves it from discovery to verification
 *   mail-autoconfig-lookups.c  the sources: files, HTTP(S), DNS, and guessing
 *   mail-autoconfig-rank.c     the priority rule: ranking candidates and deciding (pure)
 *   mail-autoconfig-verify.c   probing candidates and signing in to the chosen ones
 */

#pragma once

#include <gio/gio.h>

#include "mail-autoconfig.h"
#include "mail-autoconfig-fetch.h"
#include "mail-autoconfig-report.h"
#include "mail-server-check.h"

G_BEGIN_DECLS

#define PROBE_TIMEOUT_SECONDS  4
#define LOGIN_TIMEOUT_SECONDS  10
#define HTTP_TIMEOUT_SECONDS   8
#define GUESS_STAGGER_MS       30
/* Guessing knocks on a couple of dozen ports; when a published answer comes first, as it
 * usually does within this time, it never has to. */
#define GUESS_HEAD_START_MS    300
/* Leaves half a second of the five for signing in. */
#define EARLY_ANSWER_MS        4500
#define MAX_LOGIN_CANDIDATES   3
#define MAX_PER_DIRECTION      8

#define CANDIDATE_FREE ((GDestroyNotify) mail_autoconfig_candidate_free)

enum
{
  DIRECTION_INCOMING,
  DIRECTION_OUTGOING,
  N_DIRECTIONS,
};

struct _MailAutoconfig
{
  GObject       parent_instance;
  GTlsDatabase *database;
  char         *ispdb_url;
  char        **local_dirs;
  guint         budget;
  gboolean      verify;
  gboolean      approved;
};

typedef enum
{
  LOOKUP_PENDING,
  LOOKUP_ANSWERED,
  LOOKUP_FAILED,
} LookupState;

typedef enum
{
  ENTRY_WAITING,
  ENTRY_PROBING,
  ENTRY_DONE,
} EntryState;

typedef struct _Detection Detection;
typedef struct _Lookup Lookup;

typedef struct
{
  MailAutoconfigCandidate *candidate;
  Lookup                  *lookup;
  EntryState               state;
  guint                    index;
} Entry;

struct _Lookup
{
  MailAutoconfigSource  source;
  char                 *target;
  LookupState           state;
  GCancellable         *cancellable;
  GPtrArray            *entries;
  MailAutoconfigResult *config;
  gint64                started;
  gboolean              ispdb;
};

typedef struct
{
  char                  *key;
  gboolean               done;
  MailServerCheckResult *result;
  GPtrArray             *waiting;
  gint64                 started;
} Probe;

typedef enum
{
  PHASE_DISCOVERY,
  PHASE_VERIFICATION,
  PHASE_FINISHED,
} Phase;

struct _Detection
{
  MailAutoconfig  *self;
  GTask           *task;
  GMainContext    *context;
  char            *address;
  char            *local_part;
  char            *domain;
  char            *domain_ascii;
  char            *password;
  gboolean         verify;
  Phase            phase;
  gint64           started;

  GCancellable    *cancellable;
  GCancellable    *verify_cancellable;
  GSource         *cancel_source;
  GSource         *budget_source;
  GSource         *early_source;
  GSource         *guess_source;
  guint            guess_next;
  gboolean         guess_started;

  MailAutoconfigFetcher *fetcher;
  GPtrArray       *lookups;
  Lookup          *guess;
  GHashTable      *probes;

  gboolean         decided[N_DIRECTIONS];
  GPtrArray       *chosen[N_DIRECTIONS];
  Lookup          *winner[N_DIRECTIONS];
  guint            verifying;
  /* What the caller approved in advance (mail_autoconfig_set_approved()): the host first
   * chosen for each direction, and nothing else; %NULL-terminated. */
  char            *approved_hosts[N_DIRECTIONS + 1];

  MailAutoconfigReport *report;
};

typedef enum
{
  DECISION_WAIT,
  DECISION_FOUND,
  DECISION_NONE,
} Decision;

/* mail-autoconfig.c */

void _mail_autoconfig_destroy_source (GSource **source);
Detection *_mail_autoconfig_detection_ref (Detection *det);
void _mail_autoconfig_detection_unref (Detection *det);
gint64 _mail_autoconfig_detection_elapsed_ms (Detection *det);
GSource *_mail_autoconfig_detection_add_timeout (Detection *det,
                                                 guint ms,
                                                 GSourceFunc func);
void _mail_autoconfig_add_step (Detection *det,
                                MailAutoconfigSource source,
                                const char *target,
                                gint64 started,
                                const char *outcome);
void _mail_autoconfig_advance (Detection *det);
void _mail_autoconfig_finish (Detection *det);

/* mail-autoconfig-lookups.c */

void _mail_autoconfig_lookup_free (Lookup *lookup);
void _mail_autoconfig_candidate_set_domains (MailAutoconfigCandidate *candidate,
                                             const char *origin_host);
gboolean _mail_autoconfig_host_is_usable (const char *host);
gboolean _mail_autoconfig_lookup_accepts (Lookup *lookup,
                                          const MailAutoconfigCandidate *candidate);
Entry *_mail_autoconfig_lookup_add_candidate (Lookup *lookup,
                                              MailAutoconfigCandidate *candidate);
gboolean _mail_autoconfig_lookup_is_pending (Lookup *lookup);
void _mail_autoconfig_lookup_fail (Detection *det,
                                   Lookup *lookup,
                                   const char *outcome);
void _mail_autoconfig_start_guessing (Detection *det);
gboolean _mail_autoconfig_published_sources_exhausted (Detection *det);
void _mail_autoconfig_start_lookups (Detection *det);

/* mail-autoconfig-rank.c */

guint _mail_autoconfig_direction_of (MailProtocol protocol);
char *_mail_autoconfig_make_probe_key (MailProtocol protocol,
                                       const char *host,
                                       guint16 port,
                                       MailSecurity security);
char *_mail_autoconfig_probe_key (const MailAutoconfigCandidate *candidate);
Decision _mail_autoconfig_decide (GPtrArray *lookups,
                                  guint direction,
                                  gboolean allow_plain,
                                  Lookup **winner);
GPtrArray *_mail_autoconfig_chosen_candidates (Lookup *lookup,
                                               guint direction,
                                               gboolean allow_plain);
void _mail_autoconfig_collect_rejected (GPtrArray *lookups,
                                        Lookup *guess,
                                        GPtrArray *rejected);

/* mail-autoconfig-verify.c */

void _mail_autoconfig_entry_start_probe (Detection *det,
                                         Entry *entry);
void _mail_autoconfig_start_verification (Detection *det);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Detection, _mail_autoconfig_detection_unref)

G_END_DECLS
