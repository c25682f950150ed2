/* mail-imap-parser.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The incremental IMAP response parser: bytes go in as they come off the socket, in
 * pieces of any size, and complete responses come out.
 *
 * It works in two stages. Framing runs in mail_imap_parser_feed(): it splits the stream
 * into lines and literals (a line ending in "{n}" announces n bytes of literal data
 * before the response continues) and enforces the size limits as bytes arrive, so a
 * hostile announcement such as "{4294967296}" is refused before anything is allocated
 * for it, and literal buffers only ever grow to hold bytes actually received. Parsing runs
 * in mail_imap_parser_next(), one framed response at a time, so a setting such as
 * UTF8=ACCEPT that the caller changes after one response applies to the next.
 *
 * A framing error (a limit broken, a malformed literal announcement) loses the stream's
 * framing for good: the parser fails and stays failed. A response that is framed but not
 * valid IMAP only fails itself; the next one is parsed normally.
 *
 * The content of a message section in a FETCH response (BODY[], BINARY[], ...) may be
 * streamed instead of kept: with mail_imap_parser_set_literal_funcs(), the consumer is
 * asked about each such literal as it is announced and then receives its bytes as they are
 * fed, so that a message of any size never sits whole in memory. The response itself comes
 * out as usual, with the section marked as streamed.
 *
 * Every line that announces a literal is taken at its word, except a continuation
 * request ("+ ...", whose text is free-form and after which the server waits for us).
 * Free text ending in "{5}" therefore desynchronises, as it does for every IMAP client;
 * servers do not send that.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-parser.h"
#include "mail-imap-parser-private.h"

/* Each literal also costs a table entry; counting it against the response size keeps a
 * flood of empty literals ("{0}") bounded too. */
#define LITERAL_OVERHEAD 32

/* Buffers larger than this are given back once they are mostly empty. */
#define SHRINK_THRESHOLD (1024 * 1024)

typedef struct
{
  gsize            line_start;
  gsize            line_end;
  MailImapLiteral *literals;
  guint            n_literals;
} FramedResponse;

struct _MailImapParser
{
  MailImapParserLimits  limits;
  gboolean              utf8_accept;

  /* Line text of framed responses not yet parsed, then of the one being framed. */
  guint8               *buf;
  gsize                 len;
  gsize                 alloc;

  gsize                 resp_start;
  gsize                 seg_start;
  gsize                 resp_size;
  GArray               *cur_literals;
  gboolean              in_literal;
  guint64               literal_remaining;
  gsize                 literal_alloc;
  /* The literal being framed goes to literal_funcs, not to memory. */
  gboolean              streaming;

  MailImapLiteralFuncs  literal_funcs;
  gpointer              literal_data;

  GArray               *queue;
  guint                 queue_head;

  GError               *fatal;
  gboolean              fatal_returned;
  GByteArray           *scratch;
};

/**
 * mail_imap_parser_limits_init:
 * @limits: (out caller-allocates): limits to fill
 *
 * Fills @limits with the defaults:
 *
 * - a line of at most 24 MiB outside literals. Lines are the one thing a server can make
 *   long without a literal; 64 KiB would be enough for every response but one: a plain
 *   `SEARCH` lists every UID found on one line, and servers without ESEARCH (or clients
 *   that do not ask for it) get exactly that. UIDs are 32-bit, up to ten digits, so a
 *   search matching a million messages is up to 1 000 000 × 11 bytes (a space and ten
 *   digits), about 10.5 MiB; 24 MiB fits that twice over. The numbers cost four bytes
 *   each once parsed, well within the response limit below.
 * - a literal of at most 64 MiB: more than twice the message size limit of the large
 *   providers (25 to 50 MB, before transfer encoding is undone a message is at most
 *   about a third larger). A client that wants bigger messages can raise it, or fetch in
 *   partial ranges.
 * - a response of at most 96 MiB, lines and literals together: one maximal literal plus
 *   room for the headers and structure fetched with it. The memory the parsed structs of
 *   one response may take is capped at the same figure.
 * - lists nested at most 64 deep: real BODYSTRUCTUREs need two or three levels per MIME
 *   level, so this allows about twenty levels of forwarded messages. A body structure
 *   deeper than this is not refused: the parts below the limit are skipped and marked
 *   truncated, and the message stays readable as far as it goes.
 * - at most 100 000 items in one list: far beyond any real flag list, address list or
 *   multipart, small enough that no list can cost more than a few megabytes.
 */
void
mail_imap_parser_limits_init (MailImapParserLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_line_length = 24 * 1024 * 1024;
  limits->max_literal_size = 64 * 1024 * 1024;
  limits->max_response_size = 96 * 1024 * 1024;
  limits->max_depth = 64;
  limits->max_list_items = 100000;
}

/**
 * mail_imap_parser_new:
 * @limits: (nullable): the limits, or %NULL for the defaults of
 *   mail_imap_parser_limits_init()
 *
 * Creates a parser for the responses of one connection.
 *
 * Returns: (transfer full): a new parser
 */
MailImapParser *
mail_imap_parser_new (const MailImapParserLimits *limits)
{
  MailImapParser *self = g_new0 (MailImapParser, 1);

  if (limits != NULL)
    self->limits = *limits;
  else
    mail_imap_parser_limits_init (&self->limits);

  /* Never NULL, so that offsets into it are always valid pointer arithmetic. */
  self->alloc = 4096;
  self->buf = g_malloc (self->alloc);

  self->cur_literals = g_array_new (FALSE, FALSE, sizeof (MailImapLiteral));
  self->queue = g_array_new (FALSE, FALSE, sizeof (FramedResponse));
  self->scratch = g_byte_array_new ();

  return self;
}

static void
free_literals (MailImapLiteral *literals,
               guint            n_literals)
{
  for (guint i = 0; i < n_literals; i++)
    g_free (literals[i].data);
}

static void
discard_partial (MailImapParser *self)
{
  free_literals ((MailImapLiteral *) (gpointer) self->cur_literals->data,
                 self->cur_literals->len);
  g_array_set_size (self->cur_literals, 0);
  self->in_literal = FALSE;
  self->streaming = FALSE;
  self->literal_remaining = 0;
  self->literal_alloc = 0;
  self->len = self->resp_start;
  self->seg_start = self->resp_start;
  self->resp_size = 0;
}

static void
discard_queue (MailImapParser *self)
{
  for (guint i = self->queue_head; i < self->queue->len; i++)
    {
      FramedResponse *fr = &g_array_index (self->queue, FramedResponse, i);

      free_literals (fr->literals, fr->n_literals);
      g_free (fr->literals);
    }
  g_array_set_size (self->queue, 0);
  self->queue_head = 0;
}

/**
 * mail_imap_parser_free:
 * @self: (transfer full): a #MailImapParser
 *
 * Frees @self and every response still buffered in it.
 */
void
mail_imap_parser_free (MailImapParser *self)
{
  if (self == NULL)
    return;

  discard_partial (self);
  discard_queue (self);
  g_array_unref (self->cur_literals);
  g_array_unref (self->queue);
  g_byte_array_unref (self->scratch);
  g_clear_error (&self->fatal);
  g_free (self->buf);
  g_free (self);
}

/**
 * mail_imap_parser_reset:
 * @self: a #MailImapParser
 *
 * Drops everything buffered and clears a failure, as after STARTTLS or COMPRESS, when the
 * bytes received before the switch must not be read as if they came after it.
 */
void
mail_imap_parser_reset (MailImapParser *self)
{
  g_return_if_fail (self != NULL);

  discard_partial (self);
  discard_queue (self);
  g_clear_error (&self->fatal);
  self->fatal_returned = FALSE;
  self->len = 0;
  self->resp_start = 0;
  self->seg_start = 0;
}

/**
 * mail_imap_parser_set_utf8_accept:
 * @self: a #MailImapParser
 * @utf8_accept: whether UTF8=ACCEPT (RFC 6855) or IMAP4rev2 is in effect
 *
 * With UTF8=ACCEPT, mailbox names are UTF-8 rather than modified UTF-7. Applies to the
 * responses returned by mail_imap_parser_next() from now on, including those already
 * buffered.
 */
void
mail_imap_parser_set_utf8_accept (MailImapParser *self,
                                  gboolean        utf8_accept)
{
  g_return_if_fail (self != NULL);

  self->utf8_accept = !!utf8_accept;
}

/**
 * mail_imap_parser_get_utf8_accept:
 * @self: a #MailImapParser
 *
 * Returns: whether mailbox names are read as UTF-8
 */
gboolean
mail_imap_parser_get_utf8_accept (MailImapParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->utf8_accept;
}

/**
 * mail_imap_parser_is_failed:
 * @self: a #MailImapParser
 *
 * Whether mail_imap_parser_next() has returned the error that ended the stream: the
 * stream's framing was lost and the connection must be closed. Responses framed before
 * the failure are returned first, so this only becomes %TRUE when they are used up.
 *
 * Returns: %TRUE when the parser failed for good
 */
gboolean
mail_imap_parser_is_failed (MailImapParser *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->fatal_returned;
}

/**
 * mail_imap_parser_has_buffered_data:
 * @self: a #MailImapParser
 *
 * Whether any byte fed has not been returned yet, as a response or part of one. After the
 * tagged OK to STARTTLS this must be %FALSE: anything else was sent before the TLS
 * handshake and may have been injected. Bytes that broke the framing count too: the
 * parser dropped them when it failed, but they were received and never returned.
 *
 * Returns: %TRUE when bytes are buffered, or the stream failed
 */
gboolean
mail_imap_parser_has_buffered_data (MailImapParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->queue_head < self->queue->len || self->len > self->resp_start
         || self->in_literal || self->cur_literals->len > 0 || self->fatal != NULL;
}

static void
set_fatal_error (MailImapParser *self,
                 GError         *error)
{
  g_assert (self->fatal == NULL);

  self->fatal = error;
  discard_partial (self);
}

static void
set_fatal (MailImapParser *self,
           MailImapError   code,
           const char     *message)
{
  set_fatal_error (self, g_error_new_literal (MAIL_IMAP_ERROR, code, message));
}

typedef enum
{
  TOO_LONG_LINE,
  TOO_LARGE_LITERAL,
  TOO_LARGE_RESPONSE,
} TooLarge;

static void
fail_size (MailImapParser *self,
           TooLarge        what)
{
  g_autofree char *size = NULL;
  g_autofree char *message = NULL;

  switch (what)
    {
    case TOO_LONG_LINE:
      size = g_format_size_full (self->limits.max_line_length, G_FORMAT_SIZE_IEC_UNITS);
      message = g_strdup_printf (_("The server sent a line longer than %s"), size);
      break;
    case TOO_LARGE_LITERAL:
      size = g_format_size_full (self->limits.max_literal_size, G_FORMAT_SIZE_IEC_UNITS);
      message = g_strdup_printf (_("The server announced a literal larger than %s"), size);
      break;
    case TOO_LARGE_RESPONSE:
    default:
      size = g_format_size_full (self->limits.max_response_size, G_FORMAT_SIZE_IEC_UNITS);
      message = g_strdup_printf (_("The server sent a response larger than %s"), size);
      break;
    }

  set_fatal (self, MAIL_IMAP_ERROR_LIMIT_EXCEEDED, message);
}

/* Moves the unparsed line text to the front of the buffer once at least half of it has
 * been parsed, and gives back a large buffer that is mostly empty. */
static void
compact (MailImapParser *self)
{
  gsize first;

  if (self->queue_head < self->queue->len)
    first = g_array_index (self->queue, FramedResponse, self->queue_head).line_start;
  else
    first = self->resp_start;

  if (first > 0 && first >= self->len - first)
    {
      memmove (self->buf, self->buf + first, self->len - first);
      for (guint i = self->queue_head; i < self->queue->len; i++)
        {
          FramedResponse *fr = &g_array_index (self->queue, FramedResponse, i);

          fr->line_start -= first;
          fr->line_end -= first;
        }
      self->len -= first;
      self->resp_start -= first;
      self->seg_start -= first;
    }

  if (self->alloc > SHRINK_THRESHOLD && self->len < self->alloc / 4)
    {
      self->alloc = MAX (self->len * 2, 64 * 1024);
      self->buf = g_realloc (self->buf, self->alloc);
    }
}

static void
append (MailImapParser *self,
        const guint8   *data,
        gsize           n)
{
  if (n == 0)
    return;

  if (self->len + n > self->alloc)
    {
      self->alloc = MAX (MAX (self->alloc * 2, self->len + n), 4096);
      self->buf = g_realloc (self->buf, self->alloc);
    }

  memcpy (self->buf + self->len, data, n);
  self->len += n;
}

/* Whether the line segment @line of @n bytes ends in a literal announcement: "{digits}",
 * "{digits+}" (LITERAL+), or either after "~" (literal8). A size with a sign or too many
 * digits is still an announcement, and an invalid one. */
static gboolean
find_literal (const guint8  *line,
              gsize          n,
              const guint8 **digits_start,
              gsize         *digits_len,
              gboolean      *binary)
{
  gsize i;
  gsize end;

  if (n < 3 || line[n - 1] != '}')
    return FALSE;

  i = n - 1;
  if (line[i - 1] == '+')
    i--;
  end = i;

  while (i > 0 && (g_ascii_isdigit (line[i - 1]) || line[i - 1] == '-'))
    i--;

  if (i == end || i == 0 || line[i - 1] != '{')
    return FALSE;

  *digits_start = line + i;
  *digits_len = end - i;
  *binary = i >= 2 && line[i - 2] == '~';
  return TRUE;
}

/* Asks the literal functions what to do with the literal of @size bytes announced at
 * @announcement, which ends the line text framed so far, if it is the content of a message
 * section in a FETCH response. Past a refusal the parser has failed. */
static MailImapLiteralAction
offer_literal (MailImapParser *self,
               const guint8   *announcement,
               guint64         size)
{
  g_autoptr (MailImapResponse) scratch_response = NULL;
  MailImapTokenizer t;
  MailImapBodyInfo info;
  MailImapLiteralAction action = MAIL_IMAP_LITERAL_KEEP;
  GError *error = NULL;
  gboolean found;

  /* Only an untagged response can be a FETCH: skip the work for everything else. */
  if (self->len - self->resp_start < 2 || self->buf[self->resp_start] != '*')
    return MAIL_IMAP_LITERAL_KEEP;

  /* The section's name is copied into a throwaway arena. */
  scratch_response = _mail_imap_response_new (4096);
  mail_imap_tokenizer_init (&t, self->buf + self->resp_start, self->len - self->resp_start,
                            (const MailImapLiteral *) (gpointer) self->cur_literals->data,
                            self->cur_literals->len,
                            _mail_imap_response_get_arena (scratch_response), self->scratch,
                            &self->limits, self->utf8_accept);
  found = _mail_imap_parse_fetch_prefix (&t, announcement, &info);
  mail_imap_tokenizer_clear (&t);
  g_byte_array_set_size (self->scratch, 0);
  if (!found)
    return MAIL_IMAP_LITERAL_KEEP;

  info.size = size;
  action = self->literal_funcs.begin (&info, self->literal_data, &error);
  if (action == MAIL_IMAP_LITERAL_REFUSE)
    {
      if (error == NULL)
        error = g_error_new_literal (MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED,
                                     _("A message from the server was refused"));
      set_fatal_error (self, error);
    }
  else
    {
      g_clear_error (&error);
    }

  return action;
}

static void
end_of_line (MailImapParser *self)
{
  const guint8 *digits;
  gsize n_digits;
  gboolean binary;
  gsize line_len;

  if (self->len > self->seg_start && self->buf[self->len - 1] == '\r')
    self->len--;

  line_len = self->len - self->seg_start;
  if (line_len > self->limits.max_line_length)
    {
      fail_size (self, TOO_LONG_LINE);
      return;
    }

  if (!(self->seg_start == self->resp_start && line_len > 0 && self->buf[self->resp_start] == '+')
      && find_literal (self->buf + self->seg_start, line_len, &digits, &n_digits, &binary))
    {
      MailImapLiteral lit = { NULL, 0, self->len - self->resp_start, binary, FALSE, 0 };
      const guint8 *announcement = digits - (binary ? 2 : 1);
      guint64 size = 0;

      for (gsize i = 0; i < n_digits; i++)
        {
          if (!g_ascii_isdigit (digits[i]))
            {
              set_fatal (self, MAIL_IMAP_ERROR_PROTOCOL,
                         _("The server announced a literal of a negative or malformed size"));
              return;
            }

          /* Saturates: past any limit either way. */
          if (size > (G_MAXUINT64 - 9) / 10)
            size = G_MAXUINT64;
          else
            size = size * 10 + (guint64) (digits[i] - '0');
        }

      if (LITERAL_OVERHEAD > self->limits.max_response_size - MIN (self->resp_size,
                                                                   self->limits.max_response_size))
        {
          fail_size (self, TOO_LARGE_RESPONSE);
          return;
        }

      if (size > 0 && self->literal_funcs.begin != NULL)
        {
          switch (offer_literal (self, announcement, size))
            {
            case MAIL_IMAP_LITERAL_STREAM:
              lit.streamed = TRUE;
              lit.streamed_size = size;
              break;
            case MAIL_IMAP_LITERAL_REFUSE:
              return;
            case MAIL_IMAP_LITERAL_KEEP:
            default:
              break;
            }
        }

      if (lit.streamed)
        {
          self->resp_size += LITERAL_OVERHEAD;
        }
      else
        {
          if (size > self->limits.max_literal_size)
            {
              fail_size (self, TOO_LARGE_LITERAL);
              return;
            }
          if (size + LITERAL_OVERHEAD > self->limits.max_response_size
                                        - MIN (self->resp_size, self->limits.max_response_size))
            {
              fail_size (self, TOO_LARGE_RESPONSE);
              return;
            }
          self->resp_size += size + LITERAL_OVERHEAD;
        }

      if (size == 0 || lit.streamed)
        lit.data = g_malloc0 (1);

      if (size == 0)
        {
          self->seg_start = self->len;
        }
      else
        {
          self->in_literal = TRUE;
          self->streaming = lit.streamed;
          self->literal_remaining = size;
          self->literal_alloc = 0;
        }

      g_array_append_val (self->cur_literals, lit);
      return;
    }

  {
    FramedResponse fr = { self->resp_start, self->len, NULL, self->cur_literals->len };

    if (fr.n_literals > 0)
      {
        fr.literals = (MailImapLiteral *) (gpointer) g_array_steal (self->cur_literals, NULL);
        g_array_set_size (self->cur_literals, 0);
      }

    g_array_append_val (self->queue, fr);
    self->resp_start = self->len;
    self->seg_start = self->len;
    self->resp_size = 0;
  }
}

static gsize
feed_literal (MailImapParser *self,
              const guint8   *data,
              gsize           len)
{
  MailImapLiteral *lit = &g_array_index (self->cur_literals, MailImapLiteral,
                                         self->cur_literals->len - 1);
  gsize n = (gsize) MIN ((guint64) len, self->literal_remaining);
  gsize need = lit->len + n + 1;

  if (self->streaming)
    {
      /* Straight from the caller's buffer to the consumer: nothing is kept. */
      self->literal_remaining -= n;
      self->literal_funcs.data (data, n, self->literal_data);
      if (self->literal_remaining == 0)
        {
          self->in_literal = FALSE;
          self->streaming = FALSE;
          self->seg_start = self->len;
          self->literal_funcs.end (self->literal_data);
        }
      return n;
    }

  /* Grow with the data received, never to the announced size up front. */
  if (need > self->literal_alloc)
    {
      gsize total = lit->len + self->literal_remaining + 1;

      self->literal_alloc = MIN (total, MAX (need, MAX (self->literal_alloc * 2, 4096)));
      lit->data = g_realloc (lit->data, self->literal_alloc);
    }

  memcpy (lit->data + lit->len, data, n);
  lit->len += n;
  self->literal_remaining -= n;

  if (self->literal_remaining == 0)
    {
      lit->data[lit->len] = '\0';
      self->in_literal = FALSE;
      self->seg_start = self->len;
    }

  return n;
}

/* Frames what @data holds; with @one, stops after the first complete response. Returns
 * how many bytes were used (all of them once the parser failed, as it ignores them). */
static gsize
feed_internal (MailImapParser *self,
               const guint8   *data,
               gsize           len,
               gboolean        one)
{
  const guint8 *p = data;

  if (self->fatal != NULL)
    return len;

  compact (self);

  while (len > 0)
    {
      const guint8 *nl;
      gsize chunk;

      if (self->in_literal)
        {
          gsize n = feed_literal (self, p, len);

          p += n;
          len -= n;
          continue;
        }

      nl = memchr (p, '\n', len);
      chunk = nl != NULL ? (gsize) (nl - p) : len;

      /* The +1 leaves room for the CR of the CRLF, which end_of_line() removes. */
      if (self->len - self->seg_start + chunk > self->limits.max_line_length + 1)
        {
          fail_size (self, TOO_LONG_LINE);
          return (gsize) (p - data) + len;
        }
      if (self->resp_size + chunk > self->limits.max_response_size)
        {
          fail_size (self, TOO_LARGE_RESPONSE);
          return (gsize) (p - data) + len;
        }

      append (self, p, chunk);
      self->resp_size += chunk;

      if (nl == NULL)
        return (gsize) (p - data) + len;

      p += chunk + 1;
      len -= chunk + 1;

      end_of_line (self);
      if (self->fatal != NULL)
        return (gsize) (p - data) + len;
      if (one && self->queue_head < self->queue->len)
        break;
    }

  return (gsize) (p - data);
}

/**
 * mail_imap_parser_feed:
 * @self: a #MailImapParser
 * @data: (array length=len): bytes received from the server
 * @len: the number of bytes
 *
 * Adds bytes to the parser. They may end anywhere, in the middle of a line, a CRLF or a
 * literal. Call mail_imap_parser_next() until it returns %MAIL_IMAP_PARSE_NEED_MORE
 * afterwards: complete responses stay buffered until then. After a framing failure the
 * bytes are ignored.
 */
void
mail_imap_parser_feed (MailImapParser *self,
                       const void     *data,
                       gsize           len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  feed_internal (self, data, len, FALSE);
}

/**
 * mail_imap_parser_feed_one:
 * @self: a #MailImapParser with no complete response buffered
 * @data: (array length=len): bytes received from the server
 * @len: the number of bytes
 *
 * As mail_imap_parser_feed(), but stops after the first complete response, so that the
 * caller can act on it (see mail_imap_parser_next()) before the next one is framed. That
 * matters with literal functions: whether a body is streamed may depend on what the
 * responses before it changed. Feed the rest of @data afterwards.
 *
 * Returns: how many bytes of @data were used
 */
gsize
mail_imap_parser_feed_one (MailImapParser *self,
                           const void     *data,
                           gsize           len)
{
  g_return_val_if_fail (self != NULL, len);
  g_return_val_if_fail (data != NULL || len == 0, len);

  return feed_internal (self, data, len, TRUE);
}

/**
 * mail_imap_parser_set_literal_funcs:
 * @self: a #MailImapParser
 * @funcs: (nullable): the functions, copied; %NULL to keep every literal in memory
 * @user_data: data for @funcs
 *
 * Lets a consumer take the content of FETCH body sections as it arrives, chunk by chunk,
 * instead of the parser holding it (see #MailImapLiteralFuncs). A streamed literal is held
 * to what @funcs accept rather than to max_literal_size, and counts for the response
 * size with its overhead only; the response then holds the section marked as streamed.
 */
void
mail_imap_parser_set_literal_funcs (MailImapParser             *self,
                                    const MailImapLiteralFuncs *funcs,
                                    gpointer                    user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (funcs == NULL || (funcs->begin != NULL && funcs->data != NULL
                                      && funcs->end != NULL));

  if (funcs != NULL)
    self->literal_funcs = *funcs;
  else
    memset (&self->literal_funcs, 0, sizeof self->literal_funcs);
  self->literal_data = user_data;
}

static gboolean
parse_framed (MailImapParser     *self,
              FramedResponse     *fr,
              MailImapResponse  **response,
              GError            **error)
{
  MailImapTokenizer t;
  MailImapResponse *r;
  gsize len = fr->line_end - fr->line_start;

  r = _mail_imap_response_new (self->limits.max_response_size);
  _mail_imap_response_take_literals (r, fr->literals, fr->n_literals);
  mail_imap_tokenizer_init (&t, self->buf + fr->line_start, len, fr->literals, fr->n_literals,
                            _mail_imap_response_get_arena (r), self->scratch, &self->limits,
                            self->utf8_accept);
  fr->literals = NULL;
  fr->n_literals = 0;

  if (!_mail_imap_parse_line (&t, r))
    {
      /* The raw bytes are in the connection's protocol log; they are not repeated here. */
      if (t.error_code == MAIL_IMAP_ERROR_PROTOCOL)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                       _("The server sent a response that could not be understood (%s)"),
                       t.error_message);
        }
      else
        {
          g_set_error_literal (error, MAIL_IMAP_ERROR, t.error_code, t.error_message);
        }

      mail_imap_tokenizer_clear (&t);
      mail_imap_response_unref (r);
      g_byte_array_set_size (self->scratch, 0);
      return FALSE;
    }

  mail_imap_tokenizer_clear (&t);
  g_byte_array_set_size (self->scratch, 0);
  *response = r;
  return TRUE;
}

/**
 * mail_imap_parser_next:
 * @self: a #MailImapParser
 * @response: (out) (transfer full) (optional): where to store the next response
 * @error: return location for a #GError
 *
 * Returns the next complete response, if one is buffered.
 *
 * %MAIL_IMAP_PARSE_ERROR comes in two kinds. If mail_imap_parser_is_failed() is %FALSE
 * afterwards, one well-framed response was not valid IMAP (%MAIL_IMAP_ERROR_PROTOCOL)
 * or was too large in its parsed form (%MAIL_IMAP_ERROR_LIMIT_EXCEEDED); it was dropped
 * and parsing can go on. Otherwise the stream's framing was lost (a limit broken, a
 * malformed literal announcement): it cannot be read any further, every later call
 * returns the same error, and the connection must be closed.
 *
 * Returns: what was produced
 */
MailImapParseResult
mail_imap_parser_next (MailImapParser     *self,
                       MailImapResponse  **response,
                       GError            **error)
{
  g_autoptr (MailImapResponse) r = NULL;
  FramedResponse *fr;
  gboolean ok;

  g_return_val_if_fail (self != NULL, MAIL_IMAP_PARSE_ERROR);

  if (response != NULL)
    *response = NULL;

  if (self->queue_head >= self->queue->len)
    {
      if (self->fatal != NULL)
        {
          self->fatal_returned = TRUE;
          g_propagate_error (error, g_error_copy (self->fatal));
          return MAIL_IMAP_PARSE_ERROR;
        }
      return MAIL_IMAP_PARSE_NEED_MORE;
    }

  fr = &g_array_index (self->queue, FramedResponse, self->queue_head);
  ok = parse_framed (self, fr, &r, error);
  self->queue_head++;

  /* The scratch stack keeps its capacity between responses; do not keep a huge one. */
  if (fr->line_end - fr->line_start > SHRINK_THRESHOLD)
    {
      g_byte_array_unref (self->scratch);
      self->scratch = g_byte_array_new ();
    }

  if (self->queue_head == self->queue->len)
    {
      g_array_set_size (self->queue, 0);
      self->queue_head = 0;
    }

  if (!ok)
    return MAIL_IMAP_PARSE_ERROR;

  if (response != NULL)
    *response = g_steal_pointer (&r);

  return MAIL_IMAP_PARSE_RESPONSE;
}

/**
 * mail_imap_parse_response:
 * @data: (array length=len): exactly one complete response, with its final CRLF
 * @len: the length of @data
 * @limits: (nullable): the limits, or %NULL for the defaults
 * @error: return location for a #GError
 *
 * Parses one response held in memory, as from a transcript.
 *
 * Returns: (transfer full) (nullable): the response, or %NULL with @error set
 */
MailImapResponse *
mail_imap_parse_response (const char                  *data,
                          gsize                        len,
                          const MailImapParserLimits  *limits,
                          GError                     **error)
{
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (limits);
  g_autoptr (MailImapResponse) response = NULL;
  MailImapParseResult result;

  mail_imap_parser_feed (parser, data, len);
  result = mail_imap_parser_next (parser, &response, error);

  if (result == MAIL_IMAP_PARSE_ERROR)
    return NULL;

  if (result == MAIL_IMAP_PARSE_NEED_MORE)
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                           _("The response is incomplete"));
      return NULL;
    }

  if (mail_imap_parser_has_buffered_data (parser))
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                           _("More than one response was given"));
      return NULL;
    }

  return g_steal_pointer (&response);
}
