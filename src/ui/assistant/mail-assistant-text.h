/* mail-assistant-text.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-autoconfig-report.h"
#include "mail-server-check.h"

G_BEGIN_DECLS

/**
 * MailAssistantProblem:
 * @title: a short headline, such as "Password Not Accepted"
 * @description: what happened and what to do, in plain language
 * @icon_name: a symbolic icon for the status page
 * @category: the category the text was chosen for
 * @retry_form: whether trying again means correcting the form (the password) rather than
 *   running the detection once more
 *
 * Why a detection gave no usable settings, ready to show.
 */
typedef struct
{
  char              *title;
  char              *description;
  const char        *icon_name;
  MailErrorCategory  category;
  gboolean           retry_form;
} MailAssistantProblem;

char                 *mail_assistant_host_for_display     (const char                    *host)
    G_GNUC_WARN_UNUSED_RESULT;
const char           *mail_assistant_security_label       (MailSecurity                   security);
char                 *mail_assistant_describe_server      (const MailAutoconfigCandidate *candidate)
    G_GNUC_WARN_UNUSED_RESULT;
char                 *mail_assistant_describe_details     (const MailAutoconfigCandidate *candidate)
    G_GNUC_WARN_UNUSED_RESULT;
char                 *mail_assistant_describe_source      (const MailAutoconfigCandidate *candidate,
                                                           const char                    *domain)
    G_GNUC_WARN_UNUSED_RESULT;
char                 *mail_assistant_describe_step        (const MailAutoconfigStep      *step,
                                                           const char                    *domain)
    G_GNUC_WARN_UNUSED_RESULT;
char                 *mail_assistant_linkify              (const char                    *text)
    G_GNUC_WARN_UNUSED_RESULT;
MailAssistantProblem *mail_assistant_problem_from_report  (const MailAutoconfigReport    *report)
    G_GNUC_WARN_UNUSED_RESULT;
MailAssistantProblem *mail_assistant_problem_from_error   (const GError                  *error,
                                                           const char                    *address)
    G_GNUC_WARN_UNUSED_RESULT;
MailAssistantProblem *mail_assistant_problem_from_check   (const MailServerCheckResult   *result,
                                                           const char                    *username,
                                                           const char                    *address)
    G_GNUC_WARN_UNUSED_RESULT;
void                  mail_assistant_problem_free         (MailAssistantProblem          *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAssistantProblem, mail_assistant_problem_free)

G_END_DECLS
