/* mail-imap-response.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One parsed server response, as plain read-only structs. Everything a response points to
 * (strings, arrays, nested structs, literal data) lives in one block of memory owned by
 * the response and freed with it, so a FETCH costs a single allocation however many
 * fields it has. Strings are NUL-terminated; %NULL stands for NIL. Strings are left as the
 * server sent them (RFC 2047 encoded-words are not decoded) except where a field's
 * documentation says otherwise (mailbox names, capabilities, MIME types).
 */

#define MAIL_TYPE_IMAP_RESPONSE (mail_imap_response_get_type ())

typedef struct _MailImapResponse MailImapResponse;

/**
 * MailImapResponseKind:
 * @MAIL_IMAP_RESPONSE_CONTINUATION: a continuation request ("+ ..."); see @text
 * @MAIL_IMAP_RESPONSE_TAGGED: a command completion: @tag, @status, @code, @text
 * @MAIL_IMAP_RESPONSE_STATUS: an untagged OK, NO, BAD, PREAUTH or BYE: @status, @code, @text
 * @MAIL_IMAP_RESPONSE_CAPABILITY: `* CAPABILITY`; see @capability
 * @MAIL_IMAP_RESPONSE_ENABLED: `* ENABLED`; see @enabled
 * @MAIL_IMAP_RESPONSE_LIST: `* LIST`; see @list
 * @MAIL_IMAP_RESPONSE_LSUB: `* LSUB`; see @list
 * @MAIL_IMAP_RESPONSE_MAILBOX_STATUS: `* STATUS`; see @mailbox_status
 * @MAIL_IMAP_RESPONSE_SEARCH: `* SEARCH` (and `* SORT`); see @search
 * @MAIL_IMAP_RESPONSE_ESEARCH: `* ESEARCH`; see @esearch
 * @MAIL_IMAP_RESPONSE_FLAGS: `* FLAGS`; see @flags
 * @MAIL_IMAP_RESPONSE_EXISTS: `* n EXISTS`; see @number
 * @MAIL_IMAP_RESPONSE_RECENT: `* n RECENT`; see @number
 * @MAIL_IMAP_RESPONSE_EXPUNGE: `* n EXPUNGE`; see @number
 * @MAIL_IMAP_RESPONSE_VANISHED: `* VANISHED`; see @vanished
 * @MAIL_IMAP_RESPONSE_FETCH: `* n FETCH`; see @number and @fetch
 * @MAIL_IMAP_RESPONSE_QUOTA: `* QUOTA`; see @quota
 * @MAIL_IMAP_RESPONSE_QUOTAROOT: `* QUOTAROOT`; see @quotaroot
 * @MAIL_IMAP_RESPONSE_NAMESPACE: `* NAMESPACE`; see @ns
 * @MAIL_IMAP_RESPONSE_ID: `* ID`; see @id
 * @MAIL_IMAP_RESPONSE_OTHER: any other untagged response, kept as generic values; see @other
 *
 * What a #MailImapResponse is, and so which member of its union is valid.
 */
typedef enum
{
  MAIL_IMAP_RESPONSE_CONTINUATION,
  MAIL_IMAP_RESPONSE_TAGGED,
  MAIL_IMAP_RESPONSE_STATUS,
  MAIL_IMAP_RESPONSE_CAPABILITY,
  MAIL_IMAP_RESPONSE_ENABLED,
  MAIL_IMAP_RESPONSE_LIST,
  MAIL_IMAP_RESPONSE_LSUB,
  MAIL_IMAP_RESPONSE_MAILBOX_STATUS,
  MAIL_IMAP_RESPONSE_SEARCH,
  MAIL_IMAP_RESPONSE_ESEARCH,
  MAIL_IMAP_RESPONSE_FLAGS,
  MAIL_IMAP_RESPONSE_EXISTS,
  MAIL_IMAP_RESPONSE_RECENT,
  MAIL_IMAP_RESPONSE_EXPUNGE,
  MAIL_IMAP_RESPONSE_VANISHED,
  MAIL_IMAP_RESPONSE_FETCH,
  MAIL_IMAP_RESPONSE_QUOTA,
  MAIL_IMAP_RESPONSE_QUOTAROOT,
  MAIL_IMAP_RESPONSE_NAMESPACE,
  MAIL_IMAP_RESPONSE_ID,
  MAIL_IMAP_RESPONSE_OTHER,
} MailImapResponseKind;

/**
 * MailImapStatus:
 * @MAIL_IMAP_STATUS_NONE: not a status response
 * @MAIL_IMAP_STATUS_OK: OK
 * @MAIL_IMAP_STATUS_NO: NO
 * @MAIL_IMAP_STATUS_BAD: BAD
 * @MAIL_IMAP_STATUS_PREAUTH: PREAUTH (untagged greeting only)
 * @MAIL_IMAP_STATUS_BYE: BYE (untagged only)
 *
 * The condition of a tagged or untagged status response.
 */
typedef enum
{
  MAIL_IMAP_STATUS_NONE,
  MAIL_IMAP_STATUS_OK,
  MAIL_IMAP_STATUS_NO,
  MAIL_IMAP_STATUS_BAD,
  MAIL_IMAP_STATUS_PREAUTH,
  MAIL_IMAP_STATUS_BYE,
} MailImapStatus;

/**
 * MailImapCodeKind:
 * @MAIL_IMAP_CODE_NONE: the response has no response code
 * @MAIL_IMAP_CODE_UNKNOWN: a code this parser does not know, or a known code whose
 *   arguments were malformed; its name and text are kept
 *
 * The response code in square brackets at the start of a status response's text. The
 * other values name the codes of RFC 3501, 9051, 4315 (UIDPLUS), 7162 (CONDSTORE/QRESYNC),
 * 5530, 5162, 9208 (QUOTA), 4978 (COMPRESS), 8474 (OBJECTID) and 5466.
 */
typedef enum
{
  MAIL_IMAP_CODE_NONE,
  MAIL_IMAP_CODE_UNKNOWN,
  MAIL_IMAP_CODE_ALERT,
  MAIL_IMAP_CODE_BADCHARSET,
  MAIL_IMAP_CODE_CAPABILITY,
  MAIL_IMAP_CODE_PARSE,
  MAIL_IMAP_CODE_PERMANENTFLAGS,
  MAIL_IMAP_CODE_READ_ONLY,
  MAIL_IMAP_CODE_READ_WRITE,
  MAIL_IMAP_CODE_TRYCREATE,
  MAIL_IMAP_CODE_UIDNEXT,
  MAIL_IMAP_CODE_UIDVALIDITY,
  MAIL_IMAP_CODE_UNSEEN,
  MAIL_IMAP_CODE_HIGHESTMODSEQ,
  MAIL_IMAP_CODE_NOMODSEQ,
  MAIL_IMAP_CODE_MODIFIED,
  MAIL_IMAP_CODE_APPENDUID,
  MAIL_IMAP_CODE_COPYUID,
  MAIL_IMAP_CODE_UIDNOTSTICKY,
  MAIL_IMAP_CODE_CLOSED,
  MAIL_IMAP_CODE_OVERQUOTA,
  MAIL_IMAP_CODE_UNAVAILABLE,
  MAIL_IMAP_CODE_AUTHENTICATIONFAILED,
  MAIL_IMAP_CODE_AUTHORIZATIONFAILED,
  MAIL_IMAP_CODE_EXPIRED,
  MAIL_IMAP_CODE_PRIVACYREQUIRED,
  MAIL_IMAP_CODE_CONTACTADMIN,
  MAIL_IMAP_CODE_NOPERM,
  MAIL_IMAP_CODE_INUSE,
  MAIL_IMAP_CODE_EXPUNGEISSUED,
  MAIL_IMAP_CODE_CORRUPTION,
  MAIL_IMAP_CODE_SERVERBUG,
  MAIL_IMAP_CODE_CLIENTBUG,
  MAIL_IMAP_CODE_CANNOT,
  MAIL_IMAP_CODE_LIMIT,
  MAIL_IMAP_CODE_ALREADYEXISTS,
  MAIL_IMAP_CODE_NONEXISTENT,
  MAIL_IMAP_CODE_HASCHILDREN,
  MAIL_IMAP_CODE_UNKNOWN_CTE,
  MAIL_IMAP_CODE_COMPRESSIONACTIVE,
  MAIL_IMAP_CODE_NOTSAVED,
  MAIL_IMAP_CODE_MAILBOXID,
  MAIL_IMAP_CODE_USEATTR,
} MailImapCodeKind;

/**
 * MailImapFlags:
 *
 * The system flags and the common keywords of a message as bits, so that a FETCH's flags
 * can be tested without string comparisons. Other keywords are only in the flag names.
 * %MAIL_IMAP_FLAG_ANY stands for `\*` in PERMANENTFLAGS.
 */
typedef enum /*< flags >*/
{
  MAIL_IMAP_FLAG_NONE      = 0,
  MAIL_IMAP_FLAG_SEEN      = 1 << 0,
  MAIL_IMAP_FLAG_ANSWERED  = 1 << 1,
  MAIL_IMAP_FLAG_FLAGGED   = 1 << 2,
  MAIL_IMAP_FLAG_DELETED   = 1 << 3,
  MAIL_IMAP_FLAG_DRAFT     = 1 << 4,
  MAIL_IMAP_FLAG_RECENT    = 1 << 5,
  MAIL_IMAP_FLAG_FORWARDED = 1 << 6,
  MAIL_IMAP_FLAG_JUNK      = 1 << 7,
  MAIL_IMAP_FLAG_NOT_JUNK  = 1 << 8,
  MAIL_IMAP_FLAG_MDN_SENT  = 1 << 9,
  MAIL_IMAP_FLAG_PHISHING  = 1 << 10,
  MAIL_IMAP_FLAG_ANY       = 1 << 11,
} MailImapFlags;

/**
 * MailImapMailboxAttributes:
 *
 * The mailbox attributes of a LIST or LSUB response (RFC 3501, 5258, 6154) as bits.
 */
typedef enum /*< flags >*/
{
  MAIL_IMAP_MAILBOX_NONE           = 0,
  MAIL_IMAP_MAILBOX_NOINFERIORS    = 1 << 0,
  MAIL_IMAP_MAILBOX_NOSELECT       = 1 << 1,
  MAIL_IMAP_MAILBOX_MARKED         = 1 << 2,
  MAIL_IMAP_MAILBOX_UNMARKED       = 1 << 3,
  MAIL_IMAP_MAILBOX_HASCHILDREN    = 1 << 4,
  MAIL_IMAP_MAILBOX_HASNOCHILDREN  = 1 << 5,
  MAIL_IMAP_MAILBOX_NONEXISTENT    = 1 << 6,
  MAIL_IMAP_MAILBOX_SUBSCRIBED     = 1 << 7,
  MAIL_IMAP_MAILBOX_REMOTE         = 1 << 8,
  MAIL_IMAP_MAILBOX_ALL            = 1 << 9,
  MAIL_IMAP_MAILBOX_ARCHIVE        = 1 << 10,
  MAIL_IMAP_MAILBOX_DRAFTS         = 1 << 11,
  MAIL_IMAP_MAILBOX_FLAGGED        = 1 << 12,
  MAIL_IMAP_MAILBOX_JUNK           = 1 << 13,
  MAIL_IMAP_MAILBOX_SENT           = 1 << 14,
  MAIL_IMAP_MAILBOX_TRASH          = 1 << 15,
  MAIL_IMAP_MAILBOX_IMPORTANT      = 1 << 16,
} MailImapMailboxAttributes;

/**
 * MailImapRange:
 * @first: the first number; `*` is %G_MAXUINT32
 * @last: the last number, equal to @first for a single number; may be smaller than @first
 *   when the server wrote the range backwards (order matters in COPYUID)
 *
 * One element of a sequence set or UID set.
 */
typedef struct
{
  guint32 first;
  guint32 last;
} MailImapRange;

/**
 * MailImapSet:
 * @raw: the set as sent, such as "1:3,7"; %NULL when absent
 * @ranges: the elements in the order sent
 * @n_ranges: the number of @ranges
 *
 * A sequence set or UID set.
 */
typedef struct
{
  const char          *raw;
  const MailImapRange *ranges;
  guint                n_ranges;
} MailImapSet;

/**
 * MailImapFlagList:
 * @bits: the flags this parser knows, as bits
 * @names: (array zero-terminated=1): every flag as sent; system flags are spelled in
 *   their canonical case ("\Seen")
 *
 * A list of message flags.
 */
typedef struct
{
  MailImapFlags       bits;
  const char * const *names;
} MailImapFlagList;

/**
 * MailImapMailboxName:
 * @name: the name in UTF-8, decoded from modified UTF-7 (or taken as is when UTF8=ACCEPT
 *   is on); "INBOX" in any case is spelled "INBOX". For display and matching.
 * @raw: the name exactly as the server sent it. This is the mailbox's identity: send it
 *   back in commands and key caches on it.
 * @invalid: %TRUE when @raw was not valid modified UTF-7 (or not valid UTF-8 under
 *   UTF8=ACCEPT). @name then holds @raw, made valid UTF-8, so that the mailbox can still be
 *   shown, opened and deleted, but it may look like another mailbox's name.
 *
 * A mailbox name from the server.
 */
typedef struct
{
  const char *name;
  const char *raw;
  gboolean    invalid;
} MailImapMailboxName;

/**
 * MailImapResponseCode:
 * @kind: which code this is, %MAIL_IMAP_CODE_NONE when there is none
 * @name: the code's name as sent, or %NULL
 * @text: the code's arguments exactly as sent (everything between the name and "]"), or
 *   %NULL when it has none
 * @number: UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ: the value; APPENDUID and COPYUID:
 *   the UIDVALIDITY of the target mailbox
 * @atoms: (array zero-terminated=1): CAPABILITY (upper-cased), BADCHARSET, MAILBOXID
 *   (one element); otherwise %NULL
 * @flags: PERMANENTFLAGS
 * @uids: APPENDUID: the new UIDs; COPYUID: the UIDs in the target mailbox; MODIFIED: the set
 * @source_uids: COPYUID: the UIDs in the source mailbox
 *
 * A response code.
 */
typedef struct
{
  MailImapCodeKind    kind;
  const char         *name;
  const char         *text;
  guint64             number;
  const char * const *atoms;
  MailImapFlagList    flags;
  MailImapSet         uids;
  MailImapSet         source_uids;
} MailImapResponseCode;

/**
 * MailImapValueType:
 * @MAIL_IMAP_VALUE_NIL: NIL
 * @MAIL_IMAP_VALUE_ATOM: an atom or a number
 * @MAIL_IMAP_VALUE_STRING: a quoted string or a literal
 * @MAIL_IMAP_VALUE_LIST: a parenthesised list
 *
 * The type of a #MailImapValue.
 */
typedef enum
{
  MAIL_IMAP_VALUE_NIL,
  MAIL_IMAP_VALUE_ATOM,
  MAIL_IMAP_VALUE_STRING,
  MAIL_IMAP_VALUE_LIST,
} MailImapValueType;

typedef struct _MailImapValue MailImapValue;

/**
 * MailImapValue:
 * @type: the type
 * @str: the atom or string (NUL-terminated; a literal may also hold NUL bytes)
 * @len: the length of @str in bytes
 * @items: the items of a list
 * @n_items: the number of @items
 *
 * A generic value, for data this parser has no struct for (unknown responses, unknown
 * FETCH items, body extensions).
 */
struct _MailImapValue
{
  MailImapValueType    type;
  guint                n_items;
  const char          *str;
  gsize                len;
  const MailImapValue *items;
};

/**
 * MailImapParam:
 * @name: the name
 * @value: (nullable): the value
 *
 * A name/value pair: a MIME parameter (name lower-cased), or an ID field.
 */
typedef struct
{
  const char *name;
  const char *value;
} MailImapParam;

/**
 * MailImapTaggedValue:
 * @name: the tag, such as "CHILDINFO"
 * @value: the value
 *
 * An extension item that this parser keeps as a generic value.
 */
typedef struct
{
  const char    *name;
  MailImapValue  value;
} MailImapTaggedValue;

typedef struct _MailImapAddress MailImapAddress;

/**
 * MailImapAddress:
 * @name: (nullable): the display name, raw (encoded-words not decoded)
 * @adl: (nullable): the source route
 * @mailbox: (nullable): the local part; for a group, the group's name
 * @host: (nullable): the domain
 * @is_group: %TRUE for a group (RFC 5322 "name: a, b;"), whose members are @members
 * @members: (nullable): the first member of a group
 * @next: (nullable): the next address in the list
 *
 * One address of an ENVELOPE address list. Groups are folded into one element whose
 * @members are the addresses between the group's start and end markers.
 */
struct _MailImapAddress
{
  const char            *name;
  const char            *adl;
  const char            *mailbox;
  const char            *host;
  gboolean               is_group;
  const MailImapAddress *members;
  const MailImapAddress *next;
};

/**
 * MailImapEnvelope:
 *
 * The ten fields of an ENVELOPE, each %NULL for NIL. String fields are raw header values:
 * RFC 2047 encoded-words are left for the caller to decode.
 */
typedef struct
{
  const char            *date;
  const char            *subject;
  const MailImapAddress *from;
  const MailImapAddress *sender;
  const MailImapAddress *reply_to;
  const MailImapAddress *to;
  const MailImapAddress *cc;
  const MailImapAddress *bcc;
  const char            *in_reply_to;
  const char            *message_id;
} MailImapEnvelope;

typedef struct _MailImapBody MailImapBody;

/**
 * MailImapBody:
 * @type: the media type, lower-cased ("text", "multipart", ...)
 * @subtype: the media subtype, lower-cased
 * @params: the Content-Type parameters
 * @n_params: the number of @params
 * @id: (nullable): Content-ID
 * @description: (nullable): Content-Description
 * @encoding: (nullable): Content-Transfer-Encoding, lower-cased
 * @size: the size of the encoded body in bytes
 * @lines: the size in lines (text/\* and message/rfc822 only)
 * @envelope: (nullable): the envelope of an encapsulated message (message/rfc822)
 * @children: the parts of a multipart, or the one body of an encapsulated message
 * @n_children: the number of @children
 * @md5: (nullable): Content-MD5
 * @disposition: (nullable): the Content-Disposition type, lower-cased
 * @disposition_params: the Content-Disposition parameters
 * @n_disposition_params: the number of @disposition_params
 * @language: (nullable) (array zero-terminated=1): Content-Language
 * @location: (nullable): Content-Location
 * @extensions: any further extension data
 * @n_extensions: the number of @extensions
 * @truncated: %TRUE when this part lies deeper than the parser's depth limit: its
 *   structure was skipped and only this flag is set. Show it as an opaque attachment.
 *
 * One node of a BODYSTRUCTURE (or BODY) tree.
 */
struct _MailImapBody
{
  const char             *type;
  const char             *subtype;
  const MailImapParam    *params;
  guint                   n_params;
  guint                   n_children;
  const char             *id;
  const char             *description;
  const char             *encoding;
  guint64                 size;
  guint64                 lines;
  const MailImapEnvelope *envelope;
  const MailImapBody     *children;
  const char             *md5;
  const char             *disposition;
  const MailImapParam    *disposition_params;
  guint                   n_disposition_params;
  guint                   n_extensions;
  const char * const     *language;
  const char             *location;
  const MailImapValue    *extensions;
  gboolean                truncated;
};

/**
 * MailImapSectionKind:
 * @MAIL_IMAP_SECTION_BODY: BODY[section]
 * @MAIL_IMAP_SECTION_BINARY: BINARY[section] (RFC 3516)
 * @MAIL_IMAP_SECTION_BINARY_SIZE: BINARY.SIZE[section]; see @binary_size
 * @MAIL_IMAP_SECTION_RFC822: RFC822
 * @MAIL_IMAP_SECTION_RFC822_HEADER: RFC822.HEADER
 * @MAIL_IMAP_SECTION_RFC822_TEXT: RFC822.TEXT
 *
 * Which message content a #MailImapFetchSection carries.
 */
typedef enum
{
  MAIL_IMAP_SECTION_BODY,
  MAIL_IMAP_SECTION_BINARY,
  MAIL_IMAP_SECTION_BINARY_SIZE,
  MAIL_IMAP_SECTION_RFC822,
  MAIL_IMAP_SECTION_RFC822_HEADER,
  MAIL_IMAP_SECTION_RFC822_TEXT,
} MailImapSectionKind;

/**
 * MailImapFetchSection:
 * @kind: the kind
 * @section: the section specification between the brackets, as sent ("" for BODY[],
 *   "1.2.MIME", "HEADER.FIELDS (FROM TO)"); "" for the RFC822 forms
 * @origin: the partial-fetch origin, when @has_origin
 * @has_origin: %TRUE when the server sent `<origin>`
 * @data: (nullable): the content; %NULL for NIL, and when @streamed. May hold NUL bytes
 *   (always for BINARY sections, which are literal8); always followed by a NUL byte not
 *   counted in @len
 * @len: the length of @data (0 when @streamed)
 * @binary_size: the size, for %MAIL_IMAP_SECTION_BINARY_SIZE
 * @streamed: %TRUE when the content went to the command's body sink as it was read
 *   (mail_imap_command_set_body_sink()) and is not here
 * @streamed_size: when @streamed, the size of the content the sink received
 *
 * Message content returned by FETCH.
 */
typedef struct
{
  MailImapSectionKind  kind;
  gboolean             has_origin;
  const char          *section;
  guint64              origin;
  const char          *data;
  gsize                len;
  guint64              binary_size;
  gboolean             streamed;
  guint64              streamed_size;
} MailImapFetchSection;

/**
 * MailImapBodyInfo:
 * @seq: the message's sequence number
 * @uid: the message's UID. When a sink is opened it is 0 if the server sends the UID
 *   after the content (servers may send FETCH items in any order); when a sink is
 *   committed it is always the UID
 * @kind: %MAIL_IMAP_SECTION_BODY, %MAIL_IMAP_SECTION_BINARY or one of the RFC822 forms
 * @has_origin: %TRUE for a partial fetch, whose first octet is @origin
 * @section: the section specification as the server sent it ("" for the whole message)
 * @origin: the partial fetch's first octet, when @has_origin
 * @size: the content's size in bytes, as the server announced it
 *
 * What a body sink is told about the message content it receives
 * (#MailImapBodySink).
 */
typedef struct
{
  guint32              seq;
  guint32              uid;
  MailImapSectionKind  kind;
  gboolean             has_origin;
  const char          *section;
  guint64              origin;
  guint64              size;
} MailImapBodyInfo;

/**
 * MailImapFetchItems:
 *
 * Which items a #MailImapFetch holds.
 */
typedef enum /*< flags >*/
{
  MAIL_IMAP_FETCH_UID           = 1 << 0,
  MAIL_IMAP_FETCH_FLAGS         = 1 << 1,
  MAIL_IMAP_FETCH_INTERNALDATE  = 1 << 2,
  MAIL_IMAP_FETCH_RFC822_SIZE   = 1 << 3,
  MAIL_IMAP_FETCH_ENVELOPE      = 1 << 4,
  MAIL_IMAP_FETCH_BODYSTRUCTURE = 1 << 5,
  MAIL_IMAP_FETCH_BODY          = 1 << 6,
  MAIL_IMAP_FETCH_MODSEQ        = 1 << 7,
  MAIL_IMAP_FETCH_SECTIONS      = 1 << 8,
  MAIL_IMAP_FETCH_EXTRA         = 1 << 9,
} MailImapFetchItems;

/**
 * MailImapFetch:
 * @items: which of the fields below were sent
 * @uid: UID
 * @flags: FLAGS
 * @internaldate: INTERNALDATE as seconds since the Unix epoch (UTC)
 * @internaldate_raw: (nullable): INTERNALDATE as sent; set even when the date could not be
 *   understood, in which case %MAIL_IMAP_FETCH_INTERNALDATE is not in @items
 * @rfc822_size: RFC822.SIZE
 * @modseq: MODSEQ
 * @envelope: (nullable): ENVELOPE
 * @body: (nullable): BODYSTRUCTURE (%MAIL_IMAP_FETCH_BODYSTRUCTURE) or the
 *   non-extensible BODY (%MAIL_IMAP_FETCH_BODY)
 * @sections: the BODY[...], BINARY[...], BINARY.SIZE[...] and RFC822* items, in order
 * @n_sections: the number of @sections
 * @extra: other items (X-GM-LABELS, EMAILID, THREADID, PREVIEW, SAVEDATE, ...), with the
 *   item name upper-cased and any section included ("FOO[1]")
 * @n_extra: the number of @extra
 *
 * The data of one FETCH response.
 */
typedef struct
{
  MailImapFetchItems          items;
  guint32                     uid;
  MailImapFlagList            flags;
  gint64                      internaldate;
  const char                 *internaldate_raw;
  guint64                     rfc822_size;
  guint64                     modseq;
  const MailImapEnvelope     *envelope;
  const MailImapBody         *body;
  const MailImapFetchSection *sections;
  guint                       n_sections;
  guint                       n_extra;
  const MailImapTaggedValue  *extra;
} MailImapFetch;

/**
 * MailImapListData:
 * @attributes: the attributes this parser knows, as bits
 * @attribute_names: (array zero-terminated=1): every attribute as sent
 * @delimiter: the hierarchy delimiter, or 0 for NIL (a flat name space)
 * @mailbox: the mailbox name
 * @childinfo: (nullable) (array zero-terminated=1): the CHILDINFO extended data
 * @oldname: the OLDNAME extended data (@oldname.raw is %NULL when absent)
 * @extended: any other extended data items
 * @n_extended: the number of @extended
 *
 * The data of a LIST or LSUB response.
 */
typedef struct
{
  MailImapMailboxAttributes  attributes;
  gunichar                   delimiter;
  const char * const        *attribute_names;
  MailImapMailboxName        mailbox;
  const char * const        *childinfo;
  MailImapMailboxName        oldname;
  const MailImapTaggedValue *extended;
  guint                      n_extended;
} MailImapListData;

/**
 * MailImapStatusItems:
 *
 * Which items a #MailImapStatusData holds.
 */
typedef enum /*< flags >*/
{
  MAIL_IMAP_STATUS_ITEM_MESSAGES      = 1 << 0,
  MAIL_IMAP_STATUS_ITEM_RECENT        = 1 << 1,
  MAIL_IMAP_STATUS_ITEM_UIDNEXT       = 1 << 2,
  MAIL_IMAP_STATUS_ITEM_UIDVALIDITY   = 1 << 3,
  MAIL_IMAP_STATUS_ITEM_UNSEEN        = 1 << 4,
  MAIL_IMAP_STATUS_ITEM_DELETED       = 1 << 5,
  MAIL_IMAP_STATUS_ITEM_SIZE          = 1 << 6,
  MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ = 1 << 7,
  MAIL_IMAP_STATUS_ITEM_APPENDLIMIT   = 1 << 8,
  MAIL_IMAP_STATUS_ITEM_MAILBOXID     = 1 << 9,
} MailImapStatusItems;

/**
 * MailImapStatusData:
 * @mailbox: the mailbox
 * @items: which fields were sent
 * @appendlimit: APPENDLIMIT; %G_MAXUINT64 when the server sent NIL (no limit)
 * @mailboxid: (nullable): MAILBOXID
 *
 * The data of a STATUS response (also sent by LIST-STATUS).
 */
typedef struct
{
  MailImapMailboxName  mailbox;
  MailImapStatusItems  items;
  guint32              messages;
  guint32              recent;
  guint32              uidnext;
  guint32              uidvalidity;
  guint32              unseen;
  guint32              deleted;
  guint64              size;
  guint64              highestmodseq;
  guint64              appendlimit;
  const char          *mailboxid;
} MailImapStatusData;

/**
 * MailImapSearchData:
 * @numbers: the message numbers or UIDs
 * @n_numbers: the number of @numbers
 * @modseq: the highest mod-sequence, when @has_modseq (CONDSTORE)
 * @has_modseq: whether @modseq was sent
 *
 * The data of a SEARCH (or SORT) response.
 */
typedef struct
{
  const guint32 *numbers;
  guint          n_numbers;
  gboolean       has_modseq;
  guint64        modseq;
} MailImapSearchData;

/**
 * MailImapEsearchItems:
 *
 * Which items a #MailImapEsearchData holds.
 */
typedef enum /*< flags >*/
{
  MAIL_IMAP_ESEARCH_MIN     = 1 << 0,
  MAIL_IMAP_ESEARCH_MAX     = 1 << 1,
  MAIL_IMAP_ESEARCH_COUNT   = 1 << 2,
  MAIL_IMAP_ESEARCH_ALL     = 1 << 3,
  MAIL_IMAP_ESEARCH_MODSEQ  = 1 << 4,
} MailImapEsearchItems;

/**
 * MailImapEsearchData:
 * @tag: (nullable): the tag of the command this answers
 * @mailbox: the mailbox, for multi-mailbox search (RFC 7377); @mailbox.raw is %NULL
 *   otherwise
 * @uidvalidity: the mailbox's UIDVALIDITY, for multi-mailbox search
 * @uid: %TRUE when the numbers are UIDs
 * @items: which of the fields below were sent
 * @extra: other return data items, such as PARTIAL
 * @n_extra: the number of @extra
 *
 * The data of an ESEARCH response (RFC 4731).
 */
typedef struct
{
  const char                *tag;
  MailImapMailboxName        mailbox;
  guint32                    uidvalidity;
  gboolean                   uid;
  MailImapEsearchItems       items;
  guint32                    min;
  guint32                    max;
  guint32                    count;
  MailImapSet                all;
  guint64                    modseq;
  const MailImapTaggedValue *extra;
  guint                      n_extra;
} MailImapEsearchData;

/**
 * MailImapVanishedData:
 * @earlier: %TRUE for VANISHED (EARLIER)
 * @uids: the UIDs that are gone
 *
 * The data of a VANISHED response (RFC 7162).
 */
typedef struct
{
  gboolean    earlier;
  MailImapSet uids;
} MailImapVanishedData;

/**
 * MailImapQuotaResource:
 * @name: the resource name, such as "STORAGE"
 * @usage: the current usage
 * @limit: the limit
 *
 * One resource of a QUOTA response.
 */
typedef struct
{
  const char *name;
  guint64     usage;
  guint64     limit;
} MailImapQuotaResource;

/**
 * MailImapQuotaData:
 * @root: the quota root
 * @resources: the resources
 * @n_resources: the number of @resources
 *
 * The data of a QUOTA response.
 */
typedef struct
{
  const char                  *root;
  const MailImapQuotaResource *resources;
  guint                        n_resources;
} MailImapQuotaData;

/**
 * MailImapQuotaRootData:
 * @mailbox: the mailbox
 * @roots: (array zero-terminated=1): its quota roots
 *
 * The data of a QUOTAROOT response.
 */
typedef struct
{
  MailImapMailboxName  mailbox;
  const char * const  *roots;
} MailImapQuotaRootData;

/**
 * MailImapNamespace:
 * @prefix: the prefix (a mailbox name, so decoded like one)
 * @delimiter: the hierarchy delimiter, or 0 for NIL
 * @extensions: namespace response extensions
 * @n_extensions: the number of @extensions
 *
 * One namespace.
 */
typedef struct
{
  MailImapMailboxName        prefix;
  gunichar                   delimiter;
  guint                      n_extensions;
  const MailImapTaggedValue *extensions;
} MailImapNamespace;

/**
 * MailImapNamespaceData:
 *
 * The data of a NAMESPACE response: the personal, other users' and shared namespaces.
 */
typedef struct
{
  const MailImapNamespace *personal;
  guint                    n_personal;
  guint                    n_other;
  const MailImapNamespace *other;
  const MailImapNamespace *shared;
  guint                    n_shared;
} MailImapNamespaceData;

/**
 * MailImapIdData:
 * @params: the fields; %NULL when the server sent NIL
 * @n_params: the number of @params
 *
 * The data of an ID response (RFC 2971).
 */
typedef struct
{
  const MailImapParam *params;
  guint                n_params;
} MailImapIdData;

/**
 * MailImapOtherData:
 * @name: the response name, upper-cased
 * @values: what followed the name
 * @n_values: the number of @values
 *
 * An untagged response this parser has no struct for. @number holds its number when it
 * started with one ("* 3 FOO ...").
 */
typedef struct
{
  const char          *name;
  const MailImapValue *values;
  guint                n_values;
} MailImapOtherData;

/**
 * MailImapResponse:
 * @kind: what this response is
 * @status: the status of a tagged or untagged status response
 * @tag: (nullable): the tag of a tagged response
 * @code: the response code of a status response
 * @text: (nullable): the human-readable text of a status response (never %NULL there,
 *   maybe empty), or the rest of the line after "+ " of a continuation request. Made
 *   valid UTF-8.
 * @number: the message number of EXISTS, RECENT, EXPUNGE and FETCH
 *
 * A parsed response. Read-only; everything it points to is owned by it.
 */
struct _MailImapResponse
{
  MailImapResponseKind  kind;
  MailImapStatus        status;
  const char           *tag;
  MailImapResponseCode  code;
  const char           *text;
  guint32               number;

  union {
    const char * const    *capability;
    const char * const    *enabled;
    MailImapFlagList       flags;
    MailImapListData       list;
    MailImapStatusData     mailbox_status;
    MailImapSearchData     search;
    MailImapEsearchData    esearch;
    MailImapVanishedData   vanished;
    MailImapFetch          fetch;
    MailImapQuotaData      quota;
    MailImapQuotaRootData  quotaroot;
    MailImapNamespaceData  ns;
    MailImapIdData         id;
    MailImapOtherData      other;
  };
};

GType                       mail_imap_response_get_type         (void) G_GNUC_CONST;
MailImapResponse           *mail_imap_response_ref              (MailImapResponse        *self);
void                        mail_imap_response_unref            (MailImapResponse        *self);
gboolean                    mail_imap_response_check            (const MailImapResponse  *self,
                                                                 GError                 **error);
gboolean                    mail_imap_response_is_tagged        (const MailImapResponse  *self,
                                                                 const char              *tag);
const MailImapFetchSection *mail_imap_fetch_get_section         (const MailImapFetch     *fetch,
                                                                 MailImapSectionKind      kind,
                                                                 const char              *section);
char                       *mail_imap_fetch_dup_header          (const MailImapFetch     *fetch,
                                                                 const char              *name) G_GNUC_WARN_UNUSED_RESULT;
const MailImapValue        *mail_imap_fetch_get_extra           (const MailImapFetch     *fetch,
                                                                 const char              *name);
gboolean                    mail_imap_capabilities_contain      (const char * const      *capabilities,
                                                                 const char              *name);
MailImapFlags               mail_imap_flag_from_string          (const char              *flag);
const char                 *mail_imap_code_kind_to_string       (MailImapCodeKind         kind);
const char                 *mail_imap_response_kind_to_string   (MailImapResponseKind     kind);
char                       *mail_imap_response_to_string        (const MailImapResponse  *self) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapResponse, mail_imap_response_unref)

G_END_DECLS
