/* mail-tool.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mail-autoconfig-report.h"
#include "mail-certificate-info.h"

G_BEGIN_DECLS

/* Exit statuses shared by every subcommand. */
enum {
  MAIL_TOOL_EXIT_OK = 0,
  MAIL_TOOL_EXIT_FAILED = 1,
  MAIL_TOOL_EXIT_USAGE = 2,
  MAIL_TOOL_EXIT_CANCELLED = 130,
};

/* A subcommand: argv[0] is the subcommand's name. */
typedef int (*MailToolCommandFunc) (int argc, char **argv);

typedef struct
{
  const char          *name;
  const char          *summary;
  MailToolCommandFunc  run;
} MailToolCommand;

int   mail_tool_check                (int                   argc,
                                      char                **argv);
int   mail_tool_detect               (int                   argc,
                                      char                **argv);
int   mail_tool_account              (int                   argc,
                                      char                **argv);
int   mail_tool_sync                 (int                   argc,
                                      char                **argv);
int   mail_tool_folders              (int                   argc,
                                      char                **argv);
int   mail_tool_list                 (int                   argc,
                                      char                **argv);
int   mail_tool_show                 (int                   argc,
                                      char                **argv);
int   mail_tool_search               (int                   argc,
                                      char                **argv);
int   mail_tool_flag                 (int                   argc,
                                      char                **argv);
int   mail_tool_move                 (int                   argc,
                                      char                **argv);
int   mail_tool_delete               (int                   argc,
                                      char                **argv);
int   mail_tool_quota                (int                   argc,
                                      char                **argv);

/* The detection, as `detect` runs it, for `account add --from-detect` too. */
typedef struct
{
  char      *ca_file;
  char      *ispdb_url;
  char     **providers_dirs;
  gboolean   approve;
  gboolean   verbose;
  int        timeout;
} MailToolDetectOptions;

void                  mail_tool_detect_add_options    (GOptionContext              *context,
                                                       MailToolDetectOptions       *options);
void                  mail_tool_detect_options_clear  (MailToolDetectOptions       *options);
MailAutoconfigReport *mail_tool_detect_run            (const char                  *address,
                                                       const char                  *password,
                                                       GTlsDatabase                *database,
                                                       const MailToolDetectOptions *options,
                                                       gboolean                     verify,
                                                       GError                     **error);
void                  mail_tool_detect_print_readable (const MailAutoconfigReport  *report);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MailToolDetectOptions, mail_tool_detect_options_clear)

char *mail_tool_read_password        (GError              **error);
void  mail_tool_json_add_strv        (JsonBuilder          *builder,
                                      const char           *name,
                                      char * const         *values);
void  mail_tool_json_add_certificate (JsonBuilder          *builder,
                                      MailCertificateInfo  *info);
void  mail_tool_json_print           (JsonBuilder          *builder);

G_END_DECLS
