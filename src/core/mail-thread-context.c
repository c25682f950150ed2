/* mail-thread-context.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A main context iterated by a thread of its own for the life of the process: for GIO
 * asynchronous work that must not run on the caller's context (happy-eyeballs connects,
 * libsoup sessions). */

#include "config.h"

#include "mail-thread-context.h"

static gpointer
thread_func (gpointer data)
{
  GMainContext *context = data;

  g_main_context_push_thread_default (context);
  for (;;)
    g_main_context_iteration (context, TRUE);

  return NULL;
}

/**
 * mail_thread_context_new:
 * @thread_name: the name of the thread, for debuggers
 *
 * Starts a thread that runs a new main context forever, as that thread's default. Call
 * it once per purpose (under g_once_init_enter()): the thread never ends.
 *
 * Returns: (transfer none): the context; it is never freed
 */
GMainContext *
mail_thread_context_new (const char *thread_name)
{
  GMainContext *context = g_main_context_new ();

  g_thread_unref (g_thread_new (thread_name, thread_func, context));

  return context;
}
