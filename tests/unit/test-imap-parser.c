/* test-imap-parser.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-parser.h"

typedef struct
{
  const char *input;
  const char *expected;
} LineCase;

/* One response per line, without its CRLF, and what mail_imap_response_to_string() must
 * make of it. Taken from RFC examples and from what Dovecot, Cyrus and Gmail send. */
static const LineCase line_cases[] = {
  {
    "+ Ready for literal data",
    "continuation \"Ready for literal data\"",
  },
  {
    "+",
    "continuation \"\"",
  },
  {
    "+ dGVzdA==",
    "continuation \"dGVzdA==\"",
  },
  {
    "+ text ending in {5}",
    "continuation \"text ending in {5}\"",
  },
  {
    "a1 OK LOGIN completed",
    "tagged a1 OK \"LOGIN completed\"",
  },
  {
    "a2 NO [AUTHENTICATIONFAILED] Authentication failed.",
    "tagged a2 NO [AUTHENTICATIONFAILED] \"Authentication failed.\"",
  },
  {
    "a3 BAD Error in IMAP command: Unknown command",
    "tagged a3 BAD \"Error in IMAP command: Unknown command\"",
  },
  {
    "A004 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).",
    "tagged A004 OK [READ-WRITE] \"Select completed (0.001 + 0.000 secs).\"",
  },
  {
    "a5 OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY"
    " THREAD=REFERENCES MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDP"
    "LUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTE"
    "XT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SA"
    "VEDATE LITERAL+ NOTIFY SPECIAL-USE QUOTA] Logged in",
    "tagged a5 OK [CAPABILITY (\"IMAP4REV1\" \"SASL-IR\" \"LOGIN-REFERRALS\" \"ID\" \"ENA"
    "BLE\" \"IDLE\" \"SORT\" \"SORT=DISPLAY\" \"THREAD=REFERENCES\" \"MULTIAPPEND\" \"URL"
    "-PARTIAL\" \"CATENATE\" \"UNSELECT\" \"CHILDREN\" \"NAMESPACE\" \"UIDPLUS\" \"LIST-E"
    "XTENDED\" \"I18NLEVEL=1\" \"CONDSTORE\" \"QRESYNC\" \"ESEARCH\" \"ESORT\" \"SEARCHRE"
    "S\" \"WITHIN\" \"CONTEXT=SEARCH\" \"LIST-STATUS\" \"BINARY\" \"MOVE\" \"SNIPPET=FUZZ"
    "Y\" \"PREVIEW=FUZZY\" \"PREVIEW\" \"STATUS=SIZE\" \"SAVEDATE\" \"LITERAL+\" \"NOTIFY"
    "\" \"SPECIAL-USE\" \"QUOTA\")] \"Logged in\"",
  },
  {
    "a6 OK [APPENDUID 1700000000 4567] Append completed.",
    "tagged a6 OK [APPENDUID 1700000000 [4567:4567]] \"Append completed.\"",
  },
  {
    "a7 OK [APPENDUID 38505 3955:3957] Append completed.",
    "tagged a7 OK [APPENDUID 38505 [3955:3957]] \"Append completed.\"",
  },
  {
    "a8 OK [COPYUID 1700000000 101:103,107 5:8] Copy completed.",
    "tagged a8 OK [COPYUID 1700000000 [101:103,107:107][5:8]] \"Copy completed.\"",
  },
  {
    "a9 NO [TRYCREATE] Mailbox doesn't exist: Archive/2024",
    "tagged a9 NO [TRYCREATE] \"Mailbox doesn't exist: Archive/2024\"",
  },
  {
    "a10 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)",
    "tagged a10 NO [OVERQUOTA] \"Quota exceeded (mailbox for user is full)\"",
  },
  {
    "a11 OK [CLOSED] Previous mailbox closed.",
    "tagged a11 OK [CLOSED] \"Previous mailbox closed.\"",
  },
  {
    "a12 NO [ALERT] Your account will be suspended",
    "tagged a12 NO [ALERT] \"Your account will be suspended\"",
  },
  {
    "a13 OK [UIDNEXT abc] malformed code kept as text",
    "tagged a13 OK [?UIDNEXT \"abc\"] \"malformed code kept as text\"",
  },
  {
    "a14 OK [X-SOMETHING-NEW foo (bar) 12] unknown code kept",
    "tagged a14 OK [?X-SOMETHING-NEW \"foo (bar) 12\"] \"unknown code kept\"",
  },
  {
    "a15 OK [unterminated code",
    "tagged a15 OK \"[unterminated code\"",
  },
  {
    "a16 OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences",
    "tagged a16 OK [NOMODSEQ] \"Sorry, this mailbox format doesn't support modsequences\"",
  },
  {
    "a17 OK [HIGHESTMODSEQ 90060115205545359] Highest",
    "tagged a17 OK [HIGHESTMODSEQ 90060115205545359] \"Highest\"",
  },
  {
    "a18 BAD [BADCHARSET (UTF-8 \"ISO-8859-1\")] charset",
    "tagged a18 BAD [BADCHARSET (\"UTF-8\" \"ISO-8859-1\")] \"charset\"",
  },
  {
    "a19 OK [MODIFIED 7,9] Conditional STORE failed",
    "tagged a19 OK [MODIFIED [7:7,9:9]] \"Conditional STORE failed\"",
  },
  {
    "a20 OK",
    "tagged a20 OK \"\"",
  },
  {
    "* OK [UIDVALIDITY 1700000000] UIDs valid",
    "status OK [UIDVALIDITY 1700000000] \"UIDs valid\"",
  },
  {
    "* OK [UIDNEXT 4392] Predicted next UID",
    "status OK [UIDNEXT 4392] \"Predicted next UID\"",
  },
  {
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded $Junk"
    " \\*)] Flags permitted.",
    "status OK [PERMANENTFLAGS 8df(\"\\x5cAnswered\" \"\\x5cFlagged\" \"\\x5cDeleted\" \""
    "\\x5cSeen\" \"\\x5cDraft\" \"$Forwarded\" \"$Junk\" \"\\x5c*\")] \"Flags permitted."
    "\"",
  },
  {
    "* OK [HIGHESTMODSEQ 12345] Highest",
    "status OK [HIGHESTMODSEQ 12345] \"Highest\"",
  },
  {
    "* OK [UNSEEN 17] First unseen.",
    "status OK [UNSEEN 17] \"First unseen.\"",
  },
  {
    "* OK [MAILBOXID (F2212ea87-6097-4256-9d51-71338625)] Ok",
    "status OK [MAILBOXID (\"F2212ea87-6097-4256-9d51-71338625\")] \"Ok\"",
  },
  {
    "* NO [UNAVAILABLE] Temporary failure",
    "status NO [UNAVAILABLE] \"Temporary failure\"",
  },
  {
    "* BAD Unknown problem",
    "status BAD \"Unknown problem\"",
  },
  {
    "* PREAUTH [CAPABILITY IMAP4rev1] Logged in as alice",
    "status PREAUTH [CAPABILITY (\"IMAP4REV1\")] \"Logged in as alice\"",
  },
  {
    "* BYE Server shutting down.",
    "status BYE \"Server shutting down.\"",
  },
  {
    "* OK [ALERT] System going down at 18:00",
    "status OK [ALERT] \"System going down at 18:00\"",
  },
  {
    "* OK Dovecot ready.",
    "status OK \"Dovecot ready.\"",
  },
  {
    "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN AU"
    "TH=LOGIN",
    "capability (\"IMAP4REV1\" \"SASL-IR\" \"LOGIN-REFERRALS\" \"ID\" \"ENABLE\" \"IDLE\""
    " \"LITERAL+\" \"AUTH=PLAIN\" \"AUTH=LOGIN\")",
  },
  {
    "* CAPABILITY IMAP4rev1 STARTTLS ",
    "capability (\"IMAP4REV1\" \"STARTTLS\")",
  },
  {
    "* ENABLED CONDSTORE QRESYNC",
    "enabled (\"CONDSTORE\" \"QRESYNC\")",
  },
  {
    "* ENABLED",
    "enabled ()",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" INBOX",
    "list 20(\"\\x5cHasNoChildren\") 47 \"INBOX\"",
  },
  {
    "* LIST (\\HasChildren \\Noselect) \".\" \"Public Folders\"",
    "list 12(\"\\x5cHasChildren\" \"\\x5cNoselect\") 46 \"Public Folders\"",
  },
  {
    "* LIST () NIL inbox",
    "list 0() 0 \"INBOX\" raw=\"inbox\"",
  },
  {
    "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\"",
    "list 4020(\"\\x5cHasNoChildren\" \"\\x5cSent\") 47 \"Sent Items\"",
  },
  {
    "* LIST (\\Marked \\HasNoChildren) \"\\\\\" \"Work\\\\2024\"",
    "list 24(\"\\x5cMarked\" \"\\x5cHasNoChildren\") 92 \"Work\\x5c2024\"",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" \"&AMk-t&AOk-/R&AOk-sum&AOk-\"",
    "list 20(\"\\x5cHasNoChildren\") 47 \"\\xc3\\x89t\\xc3\\xa9/R\\xc3\\xa9sum\\xc3\\xa9"
    "\" raw=\"&AMk-t&AOk-/R&AOk-sum&AOk-\"",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" \"&ZeVnLIqe-\"",
    "list 20(\"\\x5cHasNoChildren\") 47 \"\\xe6\\x97\\xa5\\xe6\\x9c\\xac\\xe8\\xaa\\x9e\""
    " raw=\"&ZeVnLIqe-\"",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" \"Tom &- Jerry\"",
    "list 20(\"\\x5cHasNoChildren\") 47 \"Tom & Jerry\" raw=\"Tom &- Jerry\"",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" \"&Jjo-!\"",
    "list 20(\"\\x5cHasNoChildren\") 47 \"\\xe2\\x98\\xba!\" raw=\"&Jjo-!\"",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" \"&2D3eAA-\"",
    "list 20(\"\\x5cHasNoChildren\") 47 \"\\xf0\\x9f\\x98\\x80\" raw=\"&2D3eAA-\"",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" \"bad&name\"",
    "list 20(\"\\x5cHasNoChildren\") 47 \"bad&name\" invalid",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" \"&AGE-\"",
    "list 20(\"\\x5cHasNoChildren\") 47 \"&AGE-\" invalid",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" \"&AOk-&AOk-\"",
    "list 20(\"\\x5cHasNoChildren\") 47 \"&AOk-&AOk-\" invalid",
  },
  {
    "* LIST (\\Subscribed \\HasChildren) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
    "list 90(\"\\x5cSubscribed\" \"\\x5cHasChildren\") 47 \"Foo\" childinfo=(\"SUBSCRIBED"
    "\")",
  },
  {
    "* LIST (\\HasNoChildren) \"/\" \"New\" (\"OLDNAME\" (\"Old\"))",
    "list 20(\"\\x5cHasNoChildren\") 47 \"New\" oldname=\"Old\"",
  },
  {
    "* LIST (\\HasNoChildren \\Trash) \"/\" Trash (MYEXT (a b))",
    "list 8020(\"\\x5cHasNoChildren\" \"\\x5cTrash\") 47 \"Trash\" MYEXT=(a b)",
  },
  {
    "* LSUB () \".\" #news.comp.mail.misc",
    "lsub 0() 46 \"#news.comp.mail.misc\"",
  },
  {
    "* LSUB (\\Noselect) \"/\" ~/Mail/foo",
    "lsub 2(\"\\x5cNoselect\") 47 \"~/Mail/foo\"",
  },
  {
    "* STATUS INBOX (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 1700000000 UNSEEN 3 RECENT 0)",
    "mailbox-status \"INBOX\" items=1f messages=231 recent=0 uidnext=44292 uidvalidity=17"
    "00000000 unseen=3 deleted=0 size=0 highestmodseq=0 appendlimit=0 mailboxid=NIL",
  },
  {
    "* STATUS \"Sent Items\" (MESSAGES 10 HIGHESTMODSEQ 7011231777 SIZE 123456789 DELETED"
    " 2 APPENDLIMIT NIL)",
    "mailbox-status \"Sent Items\" items=1e1 messages=10 recent=0 uidnext=0 uidvalidity=0"
    " unseen=0 deleted=2 size=123456789 highestmodseq=7011231777 appendlimit=184467440737"
    "09551615 mailboxid=NIL",
  },
  {
    "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 )",
    "mailbox-status \"blurdybloop\" items=5 messages=231 recent=0 uidnext=44292 uidvalidi"
    "ty=0 unseen=0 deleted=0 size=0 highestmodseq=0 appendlimit=0 mailboxid=NIL",
  },
  {
    "* STATUS Archive (MAILBOXID (Mabc123) APPENDLIMIT 52428800 X-UNKNOWN (1 2))",
    "mailbox-status \"Archive\" items=300 messages=0 recent=0 uidnext=0 uidvalidity=0 uns"
    "een=0 deleted=0 size=0 highestmodseq=0 appendlimit=52428800 mailboxid=\"Mabc123\"",
  },
  {
    "* SEARCH 2 84 882",
    "search 2 84 882",
  },
  {
    "* SEARCH",
    "search",
  },
  {
    "* SEARCH ",
    "search",
  },
  {
    "* SEARCH 1 2 3 (MODSEQ 917162500)",
    "search 1 2 3 modseq=917162500",
  },
  {
    "* SORT 5 3 4 1 2",
    "search 5 3 4 1 2",
  },
  {
    "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3",
    "esearch tag=\"A282\" uid=0 items=5 min=2 max=0 count=3 all=[] modseq=0",
  },
  {
    "* ESEARCH (TAG \"A283\") UID ALL 4:18,21,28",
    "esearch tag=\"A283\" uid=1 items=8 min=0 max=0 count=0 all=[4:18,21:21,28:28] modseq"
    "=0",
  },
  {
    "* ESEARCH (TAG \"a567\") UID",
    "esearch tag=\"a567\" uid=1 items=0 min=0 max=0 count=0 all=[] modseq=0",
  },
  {
    "* ESEARCH (TAG \"A284\") MIN 4 MAX 10 COUNT 5 MODSEQ 1234",
    "esearch tag=\"A284\" uid=0 items=17 min=4 max=10 count=5 all=[] modseq=1234",
  },
  {
    "* ESEARCH (TAG \"A285\" MAILBOX \"folder1\" UIDVALIDITY 1) UID ALL 3001:3004,3788",
    "esearch tag=\"A285\" mailbox=\"folder1\" uidvalidity=1 uid=1 items=8 min=0 max=0 cou"
    "nt=0 all=[3001:3004,3788:3788] modseq=0",
  },
  {
    "* ESEARCH (TAG \"A286\") PARTIAL (-1:-100 200:250,252:300)",
    "esearch tag=\"A286\" uid=0 items=0 min=0 max=0 count=0 all=[] modseq=0 PARTIAL=(-1:-"
    "100 200:250,252:300)",
  },
  {
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    "flags 1f(\"\\x5cAnswered\" \"\\x5cFlagged\" \"\\x5cDeleted\" \"\\x5cSeen\" \"\\x5cDr"
    "aft\")",
  },
  {
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded $MDNSent NonJunk $"
    "label1)",
    "flags 25f(\"\\x5cAnswered\" \"\\x5cFlagged\" \"\\x5cDeleted\" \"\\x5cSeen\" \"\\x5cD"
    "raft\" \"$Forwarded\" \"$MDNSent\" \"NonJunk\" \"$label1\")",
  },
  {
    "* FLAGS ()",
    "flags 0()",
  },
  {
    "* 23 EXISTS",
    "exists 23",
  },
  {
    "* 0 EXISTS",
    "exists 0",
  },
  {
    "* 4294967295 EXISTS",
    "exists 4294967295",
  },
  {
    "* 5 RECENT",
    "recent 5",
  },
  {
    "* 44 EXPUNGE",
    "expunge 44",
  },
  {
    "* VANISHED 405,407,410,425",
    "vanished [405:405,407:407,410:410,425:425]",
  },
  {
    "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540",
    "vanished earlier [41:41,43:116,118:118,120:211,214:540]",
  },
  {
    "* VANISHED (EARLIER) 1:*",
    "vanished earlier [1:4294967295]",
  },
  {
    "* QUOTA \"\" (STORAGE 10 512)",
    "quota \"\" STORAGE=10/512",
  },
  {
    "* QUOTA \"#user/alice\" (STORAGE 54 111 MESSAGE 42 1000)",
    "quota \"#user/alice\" STORAGE=54/111 MESSAGE=42/1000",
  },
  {
    "* QUOTA \"\" ()",
    "quota \"\"",
  },
  {
    "* QUOTAROOT INBOX \"\"",
    "quotaroot \"INBOX\" (\"\")",
  },
  {
    "* QUOTAROOT comp.mail.mime",
    "quotaroot \"comp.mail.mime\" ()",
  },
  {
    "* NAMESPACE ((\"\" \"/\")) NIL NIL",
    "namespace ((\"\" 47)) NIL NIL",
  },
  {
    "* NAMESPACE ((\"\" \"/\")) ((\"Other Users/\" \"/\")) ((\"Public Folders/\" \"/\"))",
    "namespace ((\"\" 47)) ((\"Other Users/\" 47)) ((\"Public Folders/\" 47))",
  },
  {
    "* NAMESPACE ((\"INBOX.\" \".\")) NIL ((\"#shared.\" \".\" \"X-PARAM\" (\"FLAG1\" \"F"
    "LAG2\")))",
    "namespace ((\"INBOX.\" 46)) NIL ((\"#shared.\" 46 X-PARAM=(\"FLAG1\" \"FLAG2\")))",
  },
  {
    "* NAMESPACE NIL NIL ((\"\" NIL))",
    "namespace NIL NIL ((\"\" 0))",
  },
  {
    "* ID (\"name\" \"Dovecot\" \"version\" \"2.3.19\")",
    "id (\"name\"=\"Dovecot\" \"version\"=\"2.3.19\")",
  },
  {
    "* ID NIL",
    "id NIL",
  },
  {
    "* ID (\"name\" \"Cyrus\" \"os\" NIL)",
    "id (\"name\"=\"Cyrus\" \"os\"=NIL)",
  },
  {
    "* XLIST (\\HasNoChildren \\Inbox) \"/\" \"Inbox\"",
    "other XLIST (\\HasNoChildren \\Inbox) \"/\" \"Inbox\"",
  },
  {
    "* 3 XFOO bar (1 2 \"three\") NIL",
    "other 3 XFOO bar (1 2 \"three\") NIL",
  },
  {
    "* METADATA \"\" (/shared/comment \"Shared comment\")",
    "other METADATA \"\" (/shared/comment \"Shared comment\")",
  },
  {
    "* 12 FETCH (UID 4827313 FLAGS (\\Seen) RFC822.SIZE 44827)",
    "fetch 12 uid=4827313 flags=1(\"\\x5cSeen\") size=44827",
  },
  {
    "* 1 FETCH (FLAGS ())",
    "fetch 1 flags=0()",
  },
  {
    "* 1 FETCH (FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft \\Recent $Forwarded "
    "$Junk $NotJunk $MDNSent $Phishing Custom))",
    "fetch 1 flags=7ff(\"\\x5cSeen\" \"\\x5cAnswered\" \"\\x5cFlagged\" \"\\x5cDeleted\" "
    "\"\\x5cDraft\" \"\\x5cRecent\" \"$Forwarded\" \"$Junk\" \"$NotJunk\" \"$MDNSent\" \""
    "$Phishing\" \"Custom\")",
  },
  {
    "* 2 FETCH (UID 2 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")",
    "fetch 2 uid=2 internaldate=\"17-Jul-1996 02:44:25 -0700\"=837596665",
  },
  {
    "* 2 FETCH (INTERNALDATE \" 1-Jan-2024 00:00:00 +0000\")",
    "fetch 2 internaldate=\" 1-Jan-2024 00:00:00 +0000\"=1704067200",
  },
  {
    "* 2 FETCH (INTERNALDATE \"31-Dec-1999 23:59:59 +0130\")",
    "fetch 2 internaldate=\"31-Dec-1999 23:59:59 +0130\"=946679399",
  },
  {
    "* 2 FETCH (INTERNALDATE \"garbage date\")",
    "fetch 2 internaldate=\"garbage date\"",
  },
  {
    "* 3 FETCH (UID 3 MODSEQ (624140003))",
    "fetch 3 uid=3 modseq=624140003",
  },
  {
    "* 4 FETCH (UID 9 X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888 X-GM-"
    "LABELS (\\Inbox \\Sent Important \"Muy Importante\"))",
    "fetch 4 uid=9 X-GM-MSGID=1278455344230334865 X-GM-THRID=1266894439832287888 X-GM-LAB"
    "ELS=(\\Inbox \\Sent Important \"Muy Importante\")",
  },
  {
    "* 5 FETCH (UID 10 EMAILID (M6d99ac3275bb4e) THREADID NIL SAVEDATE NIL)",
    "fetch 5 uid=10 EMAILID=(M6d99ac3275bb4e) THREADID=NIL SAVEDATE=NIL",
  },
  {
    "* 6 FETCH (UID 11 BODY[HEADER.FIELDS (FROM SUBJECT)] \"From: a@b\")",
    "fetch 6 uid=11 BODY[HEADER.FIELDS (FROM SUBJECT)]=\"From: a@b\"",
  },
  {
    "* 7 FETCH (UID 12 BODY[] NIL)",
    "fetch 7 uid=12 BODY[]=NIL",
  },
  {
    "* 8 FETCH (BODY[1.2.MIME]<0> \"\" BINARY.SIZE[1] 42)",
    "fetch 8 BODY[1.2.MIME]<0>=\"\" BINARY.SIZE[1]=42",
  },
  {
    "* 9 FETCH (RFC822.HEADER \"Subject: hi\" RFC822.TEXT NIL)",
    "fetch 9 RFC822.HEADER[]=\"Subject: hi\" RFC822.TEXT[]=NIL",
  },
  {
    "* 10 FETCH (UID 13 PREVIEW \"Hello there, this is a preview\")",
    "fetch 10 uid=13 PREVIEW=\"Hello there, this is a preview\"",
  },
  {
    "* 11 FETCH (UID 14 ENVELOPE NIL)",
    "fetch 11 uid=14 envelope=NIL",
  },
  {
    "* 12 FETCH (UID 15 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 W"
    "G mtg summary and minutes\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ("
    "(\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" "
    "\"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"min"
    "utes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL"
    " \"<B27397-0100000@cac.washington.edu>\"))",
    "fetch 12 uid=15 envelope=(date=\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" subject=\"I"
    "MAP4rev1 WG mtg summary and minutes\" from=(<\"Terry Gray\" NIL \"gray\" \"cac.washi"
    "ngton.edu\">) sender=(<\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\">) reply-to"
    "=(<\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\">) to=(<NIL NIL \"imap\" \"cac."
    "washington.edu\">) cc=(<NIL NIL \"minutes\" \"CNRI.Reston.VA.US\"> <\"John Klensin\""
    " NIL \"KLENSIN\" \"MIT.EDU\">) bcc=NIL in-reply-to=NIL message-id=\"<B27397-0100000@"
    "cac.washington.edu>\")",
  },
  {
    "* 13 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))",
    "fetch 13 envelope=(date=NIL subject=NIL from=NIL sender=NIL reply-to=NIL to=NIL cc=N"
    "IL bcc=NIL in-reply-to=NIL message-id=NIL)",
  },
  {
    "* 14 FETCH (ENVELOPE (\"Mon, 1 Jan 2024 10:00:00 +0100\" \"=?UTF-8?B?SGVsbG8gV8O2cmx"
    "k?=\" ((\"=?ISO-8859-1?Q?Andr=E9?=\" NIL \"andre\" \"example.fr\")) NIL NIL ((NIL NI"
    "L \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) ((NIL NIL \"team\" NIL)(\"Ann\" "
    "NIL \"ann\" \"example.com\")(\"Bob \\\"the builder\\\"\" NIL \"bob\" \"example.com\""
    ")(NIL NIL NIL NIL)(\"Carol\" NIL \"carol\" \"example.net\")) NIL \"<parent@example.c"
    "om>\" \"<child@example.com>\"))",
    "fetch 14 envelope=(date=\"Mon, 1 Jan 2024 10:00:00 +0100\" subject=\"=?UTF-8?B?SGVsb"
    "G8gV8O2cmxk?=\" from=(<\"=?ISO-8859-1?Q?Andr=E9?=\" NIL \"andre\" \"example.fr\">) s"
    "ender=NIL reply-to=NIL to=(group:\"undisclosed-recipients\":NIL) cc=(group:\"team\":"
    "(<\"Ann\" NIL \"ann\" \"example.com\"> <\"Bob \\x22the builder\\x22\" NIL \"bob\" \""
    "example.com\">) <\"Carol\" NIL \"carol\" \"example.net\">) bcc=NIL in-reply-to=\"<pa"
    "rent@example.com>\" message-id=\"<child@example.com>\")",
  },
  {
    "* 15 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\" \"format\" "
    "\"flowed\") NIL NIL \"7bit\" 1152 23 NIL NIL NIL NIL))",
    "fetch 15 bodystructure=(\"text\"/\"plain\" params=(\"charset\"=\"us-ascii\" \"format"
    "\"=\"flowed\") id=NIL description=NIL encoding=\"7bit\" size=1152 lines=23)",
  },
  {
    "* 16 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 302"
    "8 92))",
    "fetch 16 body=(\"text\"/\"plain\" params=(\"charset\"=\"US-ASCII\") id=NIL descripti"
    "on=NIL encoding=\"7bit\" size=3028 lines=92)",
  },
  {
    "* 17 FETCH (UID 17 BODYSTRUCTURE (((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL N"
    "IL \"quoted-printable\" 1234 40 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"ut"
    "f-8\") NIL NIL \"quoted-printable\" 5678 120 NIL NIL NIL NIL) \"alternative\" (\"bou"
    "ndary\" \"b2\") NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"report.pdf\") NIL N"
    "IL \"base64\" 30000 NIL (\"attachment\" (\"filename\" \"report.pdf\")) NIL NIL) \"mi"
    "xed\" (\"boundary\" \"b1\") NIL NIL NIL))",
    "fetch 17 uid=17 bodystructure=(\"multipart\"/\"mixed\" params=(\"boundary\"=\"b1\") "
    "size=0 lines=0 (\"multipart\"/\"alternative\" params=(\"boundary\"=\"b2\") size=0 li"
    "nes=0 (\"text\"/\"plain\" params=(\"charset\"=\"utf-8\") id=NIL description=NIL enco"
    "ding=\"quoted-printable\" size=1234 lines=40) (\"text\"/\"html\" params=(\"charset\""
    "=\"utf-8\") id=NIL description=NIL encoding=\"quoted-printable\" size=5678 lines=120"
    ")) (\"application\"/\"pdf\" params=(\"name\"=\"report.pdf\") id=NIL description=NIL "
    "encoding=\"base64\" size=30000 lines=0 disposition=\"attachment\"(\"filename\"=\"rep"
    "ort.pdf\")))",
  },
  {
    "* 18 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \""
    "7bit\" 20 1 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2345 (\"Mon"
    ", 1 Jan 2024 10:00:00 +0000\" \"Fwd: report\" ((\"Bob\" NIL \"bob\" \"example.org\")"
    ") ((\"Bob\" NIL \"bob\" \"example.org\")) ((\"Bob\" NIL \"bob\" \"example.org\")) (("
    "NIL NIL \"alice\" \"example.com\")) NIL NIL NIL \"<m1@example.org>\") ((\"text\" \"p"
    "lain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 1 NIL NIL NIL NIL)(\"image\" "
    "\"png\" (\"name\" \"a.png\") \"<img1@x>\" \"A picture\" \"base64\" 4000 NIL (\"inlin"
    "e\" (\"filename\" \"a.png\")) NIL NIL) \"related\" (\"boundary\" \"inner\") NIL NIL "
    "NIL) 50 NIL (\"attachment\" NIL) NIL NIL) \"mixed\" (\"boundary\" \"outer\") NIL (\""
    "en\" \"de\") \"http://example.com/x\" 42 (1 \"two\" NIL)))",
    "fetch 18 bodystructure=(\"multipart\"/\"mixed\" params=(\"boundary\"=\"outer\") size"
    "=0 lines=0 (\"text\"/\"plain\" params=(\"charset\"=\"us-ascii\") id=NIL description="
    "NIL encoding=\"7bit\" size=20 lines=1) (\"message\"/\"rfc822\" params=() id=NIL desc"
    "ription=NIL encoding=\"7bit\" size=2345 lines=50 envelope=(date=\"Mon, 1 Jan 2024 10"
    ":00:00 +0000\" subject=\"Fwd: report\" from=(<\"Bob\" NIL \"bob\" \"example.org\">) "
    "sender=(<\"Bob\" NIL \"bob\" \"example.org\">) reply-to=(<\"Bob\" NIL \"bob\" \"exam"
    "ple.org\">) to=(<NIL NIL \"alice\" \"example.com\">) cc=NIL bcc=NIL in-reply-to=NIL "
    "message-id=\"<m1@example.org>\") (\"multipart\"/\"related\" params=(\"boundary\"=\"i"
    "nner\") size=0 lines=0 (\"text\"/\"plain\" params=(\"charset\"=\"us-ascii\") id=NIL "
    "description=NIL encoding=\"7bit\" size=12 lines=1) (\"image\"/\"png\" params=(\"name"
    "\"=\"a.png\") id=\"<img1@x>\" description=\"A picture\" encoding=\"base64\" size=400"
    "0 lines=0 disposition=\"inline\"(\"filename\"=\"a.png\"))) disposition=\"attachment"
    "\"()) language=(\"en\" \"de\") location=\"http://example.com/x\" ext=42 ext=(1 \"two"
    "\" NIL))",
  },
  {
    "* 19 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL NIL 0 0 \"md5sum\" NIL \"e"
    "n\" NIL))",
    "fetch 19 bodystructure=(\"text\"/\"plain\" params=() size=0 lines=0 md5=\"md5sum\" l"
    "anguage=(\"en\"))",
  },
  {
    "* 20 FETCH (BODY (((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1"
    "0 1)(\"TEXT\" \"HTML\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 20 2) \"ALTERNATI"
    "VE\") \"MIXED\"))",
    "fetch 20 body=(\"multipart\"/\"mixed\" params=() size=0 lines=0 (\"multipart\"/\"alt"
    "ernative\" params=() size=0 lines=0 (\"text\"/\"plain\" params=(\"charset\"=\"US-ASC"
    "II\") id=NIL description=NIL encoding=\"7bit\" size=10 lines=1) (\"text\"/\"html\" p"
    "arams=(\"charset\"=\"US-ASCII\") id=NIL description=NIL encoding=\"7bit\" size=20 li"
    "nes=2)))",
  },
};

typedef struct
{
  const char *input;
  gsize       len;
  const char *expected;
} RawCase;

#define RAW(s) s, sizeof (s) - 1

/* Responses with literals, NUL bytes, 8-bit data and other bytes a line cannot show. */
static const RawCase raw_cases[] = {
  {
    RAW ("* 6 FETCH (UID 11 BODY[HEADER.FIELDS (FROM SUBJECT)] {26}\r\n"
         "From: a@b\r\nSubject: hi\r\n\r\n)\r\n"),
    "fetch 6 uid=11 BODY[HEADER.FIELDS (FROM SUBJECT)]="
    "\"From: a@b\\x0d\\x0aSubject: hi\\x0d\\x0a\\x0d\\x0a\"",
  },
  {
    RAW ("* 1 FETCH (UID 5 BODY[] {0}\r\n FLAGS (\\Seen))\r\n"),
    "fetch 1 uid=5 flags=1(\"\\x5cSeen\") BODY[]=\"\"",
  },
  {
    RAW ("* 2 FETCH (BINARY[1] ~{5}\r\na\0b\0c)\r\n"),
    "fetch 2 BINARY[1]=\"a\\x00b\\x00c\"",
  },
  {
    RAW ("* 3 FETCH (BODY[TEXT]<100> {3+}\r\nxyz)\r\n"),
    "fetch 3 BODY[TEXT]<100>=\"xyz\"",
  },
  {
    RAW ("* LIST () \"/\" {7}\r\nabc def\r\n"),
    "list 0() 47 \"abc def\"",
  },
  {
    RAW ("* LIST (\\HasNoChildren) \"/\" {11}\r\nfoo\"bar\\baz\r\n"),
    "list 20(\"\\x5cHasNoChildren\") 47 \"foo\\x22bar\\x5cbaz\"",
  },
  {
    RAW ("* 4 FETCH (ENVELOPE ({30}\r\nMon, 1 Jan 2024 10:00:00 +0100 {15}\r\n"
         "\"quoted\" \\ text ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL NIL) UID 8)\r\n"),
    "fetch 4 uid=8 envelope=(date=\"Mon, 1 Jan 2024 10:00:00 +0100\" "
    "subject=\"\\x22quoted\\x22 \\x5c text\" from=(<NIL NIL \"a\" \"b\">) sender=NIL "
    "reply-to=NIL to=NIL cc=NIL bcc=NIL in-reply-to=NIL message-id=NIL)",
  },
  {
    RAW ("a1 NO [BADCHARSET ({5}\r\nUTF-8)] no\r\n"),
    "tagged a1 NO [BADCHARSET (\"UTF-8\")] \"no\"",
  },
  {
    RAW ("* 5 FETCH (ENVELOPE (NIL \"Gr\xc3\xbc\xc3\x9f" "e\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n"),
    "fetch 5 envelope=(date=NIL subject=\"Gr\\xc3\\xbc\\xc3\\x9fe\" from=NIL sender=NIL "
    "reply-to=NIL to=NIL cc=NIL bcc=NIL in-reply-to=NIL message-id=NIL)",
  },
  {
    RAW ("* OK [ALERT] caf\xc3\xa9 closes\r\n"),
    "status OK [ALERT] \"caf\\xc3\\xa9 closes\"",
  },
  {
    RAW ("* OK bad \xff byte\r\n"),
    "status OK \"bad \\xef\\xbf\\xbd byte\"",
  },
  {
    RAW ("* 6 FETCH (RFC822 {5}\r\nHello)\r\n"),
    "fetch 6 RFC822[]=\"Hello\"",
  },
  {
    RAW ("* ID ({4}\r\nname {7}\r\nDovecot)\r\n"),
    "id (\"name\"=\"Dovecot\")",
  },
  {
    RAW ("* 3 EXISTS\n"),
    "exists 3",
  },
  {
    RAW ("* OK [UIDVALIDITY 0] zero is not a UIDVALIDITY\r\n"),
    "status OK [?UIDVALIDITY \"0\"] \"zero is not a UIDVALIDITY\"",
  },
  {
    RAW ("* 7 FETCH (INTERNALDATE {26}\r\n07-Feb-2024 13:14:15 +0000)\r\n"),
    "fetch 7 internaldate=\"07-Feb-2024 13:14:15 +0000\"=1707311655",
  },
  {
    RAW ("* LIST (\\HasNoChildren) \"/\" \"Caf\xc3\xa9\"\r\n"),
    "list 20(\"\\x5cHasNoChildren\") 47 \"Caf\\xc3\\xa9\" invalid",
  },
};

/* Responses that are framed correctly but are not valid IMAP: each fails alone, and the
 * parser goes on with the next. */
static const RawCase bad_cases[] = {
  { RAW ("* OK hello\0world\r\n"), NULL },
  { RAW ("+ abc\0\r\n"), NULL },
  { RAW ("* LIST () \"/\" \"abc\r\n"), NULL },
  { RAW ("\x01\x02garbage\r\n"), NULL },
  { RAW ("))))\r\n"), NULL },
  { RAW ("* \r\n"), NULL },
  { RAW ("*\r\n"), NULL },
  { RAW ("\r\n"), NULL },
  { RAW ("a1 MAYBE done\r\n"), NULL },
  { RAW ("a1 PREAUTH done\r\n"), NULL },
  { RAW ("* LIST () \"/\" {3} abc\r\n"), NULL },
  { RAW ("* OK a\rb\r\n"), NULL },
  { RAW ("* 1 FETCH (UID 0)\r\n"), NULL },
  { RAW ("* 0 FETCH (UID 1)\r\n"), NULL },
  { RAW ("* 0 EXPUNGE\r\n"), NULL },
  { RAW ("* 4294967296 EXISTS\r\n"), NULL },
  { RAW ("* 1 FETCH (RFC822.SIZE 99999999999999999999)\r\n"), NULL },
  { RAW ("* 1 FETCH (RFC822.SIZE 9223372036854775808)\r\n"), NULL },
  { RAW ("* 1 FETCH (FLAGS (\\Seen)\r\n"), NULL },
  { RAW ("* 1 FETCH (FLAGS (\\Seen ( \\Draft))\r\n"), NULL },
  { RAW ("* LIST () \"/\" \"a\\qb\"\r\n"), NULL },
  { RAW ("* VANISHED 1:,2\r\n"), NULL },
  { RAW ("* VANISHED 0\r\n"), NULL },
  { RAW ("* VANISHED 1,,2\r\n"), NULL },
  { RAW ("* VANISHED 4294967296\r\n"), NULL },
  { RAW ("* LIST () \"/\" {3}\r\na\0b\r\n"), NULL },
  { RAW ("* LIST () \"//\" x\r\n"), NULL },
  { RAW ("* LIST () \"/\" ~{3}\r\nabc\r\n"), NULL },
  { RAW ("* 1 FETCH (BODY[HEADER.FIELDS (A] \"x\")\r\n"), NULL },
  { RAW ("* 1 FETCH (BODY[HEADER.FIELDS {3}\r\nabc] \"x\")\r\n"), NULL },
  { RAW ("* 1 FETCH (UID 1) trailing\r\n"), NULL },
  { RAW ("* SEARCH 1 2 x\r\n"), NULL },
  { RAW ("* STATUS INBOX (MESSAGES)\r\n"), NULL },
  { RAW ("* 1 FETCH (ENVELOPE (NIL NIL))\r\n"), NULL },
  { RAW ("* 1 FETCH (BODYSTRUCTURE (\"text\"))\r\n"), NULL },
  { RAW ("* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" x 1))\r\n"), NULL },
  { RAW ("* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL NIL)) NIL NIL NIL NIL NIL NIL NIL))\r\n"), NULL },
  { RAW ("* OK [ALERT] text\r\n* OK more {3}\r\nabc\r\n"), "status OK [ALERT] \"text\"" },
  { RAW ("* 1 FETCH (BODY[] {3}\r\nabc {2}\r\nde)\r\n"), NULL },
  { RAW ("* CAPABILITY IMAP4rev1 (x)\r\n"), NULL },
  { RAW ("* XFOO \"unterminated\r\n"), NULL },
  { RAW ("* XFOO )\r\n"), NULL },
  { RAW ("* 1 FETCH (MODSEQ (x))\r\n"), NULL },
  { RAW ("* ESEARCH (TAG \"a\") MIN 0\r\n"), NULL },
  { RAW ("* NAMESPACE ((\"\" \"/\")) NIL\r\n"), NULL },
  { RAW ("* QUOTA \"\" (STORAGE 1)\r\n"), NULL },
  { RAW ("* ID (\"name\")\r\n"), NULL },
};

static void
drain (MailImapParser *parser,
       GPtrArray      *results)
{
  for (;;)
    {
      g_autoptr (MailImapResponse) response = NULL;
      g_autoptr (GError) error = NULL;
      MailImapParseResult result = mail_imap_parser_next (parser, &response, &error);

      if (result == MAIL_IMAP_PARSE_NEED_MORE)
        return;

      if (result == MAIL_IMAP_PARSE_ERROR)
        {
          g_assert_nonnull (error);
          g_assert_null (response);
          g_ptr_array_add (results, g_strdup_printf ("error %d", error->code));
          if (mail_imap_parser_is_failed (parser))
            return;
          continue;
        }

      g_assert_no_error (error);
      g_assert_nonnull (response);
      g_ptr_array_add (results, mail_imap_response_to_string (response));
    }
}

/* Feeds @data in pieces of the sizes @next_size returns, draining after each. */
static GPtrArray *
parse_in_pieces (const char *data,
                 gsize       len,
                 gsize     (*next_size) (gsize offset, gpointer user_data),
                 gpointer    user_data)
{
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
  GPtrArray *results = g_ptr_array_new_with_free_func (g_free);
  gsize offset = 0;

  while (offset < len)
    {
      gsize n = next_size (offset, user_data);

      n = MIN (n, len - offset);

      mail_imap_parser_feed (parser, data + offset, n);
      offset += n;
      drain (parser, results);
    }

  g_assert_false (mail_imap_parser_has_buffered_data (parser));
  return results;
}

static gsize
whole (gsize    offset,
       gpointer user_data)
{
  return G_MAXSIZE;
}

static gsize
one_byte (gsize    offset,
          gpointer user_data)
{
  return 1;
}

static gsize
split_at (gsize    offset,
          gpointer user_data)
{
  gsize split = GPOINTER_TO_SIZE (user_data);

  return offset < split ? split - offset : G_MAXSIZE;
}

static gsize
random_size (gsize    offset,
             gpointer user_data)
{
  return (gsize) g_rand_int_range (user_data, 1, 200);
}

static char *
dump_one (const char *data,
          gsize       len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailImapResponse) response = mail_imap_parse_response (data, len, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (response);
  return mail_imap_response_to_string (response);
}

static void
test_line_responses (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (line_cases); i++)
    {
      g_autofree char *input = g_strconcat (line_cases[i].input, "\r\n", NULL);
      g_autofree char *dump = NULL;

      g_test_message ("%s", line_cases[i].input);
      dump = dump_one (input, strlen (input));
      g_assert_cmpstr (dump, ==, line_cases[i].expected);
    }
}

static void
test_raw_responses (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (raw_cases); i++)
    {
      g_autofree char *dump = NULL;

      g_test_message ("raw case %u", i);
      dump = dump_one (raw_cases[i].input, raw_cases[i].len);
      g_assert_cmpstr (dump, ==, raw_cases[i].expected);
    }
}

static void
test_bad_responses (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
      g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func (g_free);
      static const char next[] = "* 1 EXISTS\r\n";
      g_autofree char *escaped = g_strescape (bad_cases[i].input, NULL);

      g_test_message ("bad case %u: %s", i, escaped);
      mail_imap_parser_feed (parser, bad_cases[i].input, bad_cases[i].len);
      mail_imap_parser_feed (parser, next, strlen (next));
      drain (parser, results);

      g_assert_false (mail_imap_parser_is_failed (parser));
      g_assert_cmpuint (results->len, ==, bad_cases[i].expected != NULL ? 3 : 2);
      if (bad_cases[i].expected != NULL)
        g_assert_cmpstr (results->pdata[0], ==, bad_cases[i].expected);
      g_assert_cmpstr (results->pdata[results->len - 2], ==, "error 0");
      g_assert_cmpstr (results->pdata[results->len - 1], ==, "exists 1");
    }
}

static void
check_pieces (const char *data,
              gsize       len,
              GPtrArray  *expected,
              gsize     (*next_size) (gsize offset, gpointer user_data),
              gpointer    user_data)
{
  g_autoptr (GPtrArray) results = parse_in_pieces (data, len, next_size, user_data);

  g_assert_cmpuint (results->len, ==, expected->len);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpstr (results->pdata[i], ==, expected->pdata[i]);
}

static void
check_every_split (const char *data,
                   gsize       len)
{
  g_autoptr (GPtrArray) expected = parse_in_pieces (data, len, whole, NULL);

  for (gsize split = 1; split < len; split++)
    check_pieces (data, len, expected, split_at, GSIZE_TO_POINTER (split));
}

/* Every response, cut in two at every byte. */
static void
test_split_every_byte (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (line_cases); i++)
    {
      g_autofree char *input = g_strconcat (line_cases[i].input, "\r\n", NULL);

      check_every_split (input, strlen (input));
    }

  for (guint i = 0; i < G_N_ELEMENTS (raw_cases); i++)
    check_every_split (raw_cases[i].input, raw_cases[i].len);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    check_every_split (bad_cases[i].input, bad_cases[i].len);
}

static GByteArray *
transcript (void)
{
  GByteArray *all = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (line_cases); i++)
    {
      g_byte_array_append (all, (const guint8 *) line_cases[i].input,
                           (guint) strlen (line_cases[i].input));
      g_byte_array_append (all, (const guint8 *) "\r\n", 2);
    }
  for (guint i = 0; i < G_N_ELEMENTS (raw_cases); i++)
    g_byte_array_append (all, (const guint8 *) raw_cases[i].input, (guint) raw_cases[i].len);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_byte_array_append (all, (const guint8 *) bad_cases[i].input, (guint) bad_cases[i].len);

  return all;
}

/* Everything in one stream, fed one byte at a time and in random pieces. */
static void
test_stream_pieces (void)
{
  g_autoptr (GByteArray) all = transcript ();
  g_autoptr (GPtrArray) expected = parse_in_pieces ((const char *) all->data, all->len, whole,
                                                    NULL);
  guint expected_len = G_N_ELEMENTS (line_cases) + G_N_ELEMENTS (raw_cases)
                       + G_N_ELEMENTS (bad_cases) + 1;

  g_assert_cmpuint (expected->len, ==, expected_len);

  check_pieces ((const char *) all->data, all->len, expected, one_byte, NULL);

  for (guint32 seed = 1; seed <= 20; seed++)
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed);

      check_pieces ((const char *) all->data, all->len, expected, random_size, rand);
    }
}

static MailImapResponse *
parse (const char *text)
{
  g_autoptr (GError) error = NULL;
  MailImapResponse *response = mail_imap_parse_response (text, strlen (text), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

/* The fields of the FETCH the benchmark measures, through the structs rather than the
 * dump. */
static void
test_fetch_fields (void)
{
  g_autoptr (MailImapResponse) r = NULL;
  const MailImapEnvelope *e;
  const MailImapAddress *a;

  r = parse ("* 42 FETCH (UID 4242 FLAGS (\\Seen $Forwarded work) RFC822.SIZE 12345 "
             "INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" MODSEQ (7) "
             "ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
             "\"=?utf-8?q?caf=C3=A9?=\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
             "NIL NIL ((NIL NIL \"friends\" NIL)(\"Ann\" NIL \"ann\" \"example.com\")"
             "(NIL NIL NIL NIL)(NIL NIL \"bob\" \"example.com\")) NIL NIL NIL "
             "\"<id@example.com>\"))\r\n");

  g_assert_cmpint (r->kind, ==, MAIL_IMAP_RESPONSE_FETCH);
  g_assert_cmpuint (r->number, ==, 42);
  g_assert_cmpuint (r->fetch.items, ==, MAIL_IMAP_FETCH_UID | MAIL_IMAP_FETCH_FLAGS
                                        | MAIL_IMAP_FETCH_RFC822_SIZE
                                        | MAIL_IMAP_FETCH_INTERNALDATE
                                        | MAIL_IMAP_FETCH_MODSEQ | MAIL_IMAP_FETCH_ENVELOPE);
  g_assert_cmpuint (r->fetch.uid, ==, 4242);
  g_assert_cmpuint (r->fetch.flags.bits, ==, MAIL_IMAP_FLAG_SEEN | MAIL_IMAP_FLAG_FORWARDED);
  g_assert_cmpstrv (r->fetch.flags.names, ((const char * const[]) { "\\Seen", "$Forwarded",
                                                                    "work", NULL }));
  g_assert_cmpuint (r->fetch.rfc822_size, ==, 12345);
  g_assert_cmpint (r->fetch.internaldate, ==, 837596665);
  g_assert_cmpuint (r->fetch.modseq, ==, 7);

  e = r->fetch.envelope;
  g_assert_nonnull (e);
  g_assert_cmpstr (e->subject, ==, "=?utf-8?q?caf=C3=A9?=");
  g_assert_cmpstr (e->from->name, ==, "Terry Gray");
  g_assert_cmpstr (e->from->mailbox, ==, "gray");
  g_assert_cmpstr (e->from->host, ==, "cac.washington.edu");
  g_assert_null (e->from->next);
  g_assert_null (e->sender);
  g_assert_null (e->cc);
  g_assert_null (e->in_reply_to);
  g_assert_cmpstr (e->message_id, ==, "<id@example.com>");

  /* "friends: Ann <ann@example.com>;, bob@example.com" */
  a = e->to;
  g_assert_true (a->is_group);
  g_assert_cmpstr (a->mailbox, ==, "friends");
  g_assert_cmpstr (a->members->name, ==, "Ann");
  g_assert_null (a->members->next);
  a = a->next;
  g_assert_false (a->is_group);
  g_assert_cmpstr (a->mailbox, ==, "bob");
  g_assert_null (a->next);
}

/* A real Dovecot 2.3 BODYSTRUCTURE: multipart/mixed of multipart/alternative (text and
 * HTML) and a PDF attachment. */
static void
test_bodystructure_dovecot (void)
{
  g_autoptr (MailImapResponse) r = NULL;
  const MailImapBody *b;
  const MailImapBody *alt;
  const MailImapBody *pdf;

  r = parse ("* 1 FETCH (UID 7 BODYSTRUCTURE (((\"text\" \"plain\" (\"charset\" \"utf-8\") "
             "NIL NIL \"quoted-printable\" 1234 40 NIL NIL NIL NIL)(\"text\" \"html\" "
             "(\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 5678 120 NIL NIL NIL NIL) "
             "\"alternative\" (\"boundary\" \"b2\") NIL NIL NIL)(\"application\" \"pdf\" "
             "(\"name\" \"report.pdf\") NIL NIL \"base64\" 30000 NIL (\"attachment\" "
             "(\"filename\" \"report.pdf\")) NIL NIL) \"mixed\" (\"boundary\" \"b1\") NIL NIL "
             "NIL))\r\n");

  g_assert_true (r->fetch.items & MAIL_IMAP_FETCH_BODYSTRUCTURE);
  b = r->fetch.body;
  g_assert_cmpstr (b->type, ==, "multipart");
  g_assert_cmpstr (b->subtype, ==, "mixed");
  g_assert_cmpuint (b->n_params, ==, 1);
  g_assert_cmpstr (b->params[0].name, ==, "boundary");
  g_assert_cmpstr (b->params[0].value, ==, "b1");
  g_assert_cmpuint (b->n_children, ==, 2);

  alt = &b->children[0];
  g_assert_cmpstr (alt->subtype, ==, "alternative");
  g_assert_cmpuint (alt->n_children, ==, 2);
  g_assert_cmpstr (alt->children[0].subtype, ==, "plain");
  g_assert_cmpstr (alt->children[0].encoding, ==, "quoted-printable");
  g_assert_cmpuint (alt->children[0].size, ==, 1234);
  g_assert_cmpuint (alt->children[0].lines, ==, 40);
  g_assert_cmpstr (alt->children[1].subtype, ==, "html");
  g_assert_cmpuint (alt->children[1].lines, ==, 120);

  pdf = &b->children[1];
  g_assert_cmpstr (pdf->type, ==, "application");
  g_assert_cmpstr (pdf->subtype, ==, "pdf");
  g_assert_cmpuint (pdf->size, ==, 30000);
  g_assert_cmpstr (pdf->disposition, ==, "attachment");
  g_assert_cmpuint (pdf->n_disposition_params, ==, 1);
  g_assert_cmpstr (pdf->disposition_params[0].value, ==, "report.pdf");
  g_assert_null (pdf->md5);
  g_assert_false (pdf->truncated);
}

static void
test_list_names (void)
{
  static const char input[] =
    "* LIST (\\HasNoChildren) \"/\" \"&AMk-t&AOk-\"\r\n"
    "* LIST (\\HasNoChildren) \"/\" \"\xc3\x89t\xc3\xa9\"\r\n"
    "* LIST (\\HasNoChildren) \"/\" \"\xff\"\r\n"
    "* LIST (\\HasNoChildren \\Drafts) \"/\" \"&AMk-t&AOk-\"\r\n";
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
  g_autoptr (MailImapResponse) r1 = NULL;
  g_autoptr (MailImapResponse) r2 = NULL;
  g_autoptr (MailImapResponse) r3 = NULL;
  g_autoptr (MailImapResponse) r4 = NULL;

  mail_imap_parser_feed (parser, input, strlen (input));

  g_assert_cmpint (mail_imap_parser_next (parser, &r1, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
  g_assert_cmpstr (r1->list.mailbox.name, ==, "\xc3\x89t\xc3\xa9");
  g_assert_cmpstr (r1->list.mailbox.raw, ==, "&AMk-t&AOk-");
  g_assert_false (r1->list.mailbox.invalid);
  g_assert_cmpuint (r1->list.delimiter, ==, '/');

  /* ENABLE UTF8=ACCEPT succeeded: the responses already buffered are read as UTF-8. */
  mail_imap_parser_set_utf8_accept (parser, TRUE);
  g_assert_true (mail_imap_parser_get_utf8_accept (parser));

  g_assert_cmpint (mail_imap_parser_next (parser, &r2, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
  g_assert_cmpstr (r2->list.mailbox.name, ==, "\xc3\x89t\xc3\xa9");
  g_assert_false (r2->list.mailbox.invalid);

  g_assert_cmpint (mail_imap_parser_next (parser, &r3, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
  g_assert_true (r3->list.mailbox.invalid);
  g_assert_cmpstr (r3->list.mailbox.raw, ==, "\xff");
  g_assert_true (g_utf8_validate (r3->list.mailbox.name, -1, NULL));

  g_assert_cmpint (mail_imap_parser_next (parser, &r4, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
  g_assert_cmpstr (r4->list.mailbox.name, ==, "&AMk-t&AOk-");
  g_assert_cmpuint (r4->list.attributes, ==, MAIL_IMAP_MAILBOX_HASNOCHILDREN
                                             | MAIL_IMAP_MAILBOX_DRAFTS);
}

static void
test_status_codes (void)
{
  g_autoptr (MailImapResponse) copy = parse ("a8 OK [COPYUID 99 101:103,107 5:8] Done\r\n");
  g_autoptr (MailImapResponse) flags = NULL;
  g_autoptr (MailImapResponse) caps = NULL;

  g_assert_true (mail_imap_response_is_tagged (copy, "a8"));
  g_assert_false (mail_imap_response_is_tagged (copy, "a9"));
  g_assert_cmpint (copy->code.kind, ==, MAIL_IMAP_CODE_COPYUID);
  g_assert_cmpuint (copy->code.number, ==, 99);
  g_assert_cmpstr (copy->code.source_uids.raw, ==, "101:103,107");
  g_assert_cmpuint (copy->code.source_uids.n_ranges, ==, 2);
  g_assert_cmpuint (copy->code.source_uids.ranges[0].first, ==, 101);
  g_assert_cmpuint (copy->code.source_uids.ranges[0].last, ==, 103);
  g_assert_cmpuint (copy->code.uids.ranges[0].first, ==, 5);
  g_assert_cmpuint (copy->code.uids.ranges[0].last, ==, 8);
  g_assert_cmpstr (copy->code.text, ==, "99 101:103,107 5:8");

  flags = parse ("* OK [PERMANENTFLAGS (\\Seen \\*)] Limited\r\n");
  g_assert_cmpuint (flags->code.flags.bits, ==, MAIL_IMAP_FLAG_SEEN | MAIL_IMAP_FLAG_ANY);

  caps = parse ("* CAPABILITY IMAP4rev1 literal+ IDLE\r\n");
  g_assert_true (mail_imap_capabilities_contain (caps->capability, "LITERAL+"));
  g_assert_true (mail_imap_capabilities_contain (caps->capability, "idle"));
  g_assert_false (mail_imap_capabilities_contain (caps->capability, "IMAP4rev2"));
  g_assert_false (mail_imap_capabilities_contain (NULL, "IDLE"));

  g_assert_cmpstr (mail_imap_code_kind_to_string (MAIL_IMAP_CODE_READ_WRITE), ==, "READ-WRITE");
  g_assert_null (mail_imap_code_kind_to_string (MAIL_IMAP_CODE_UNKNOWN));
  g_assert_cmpint (mail_imap_flag_from_string ("\\seen"), ==, MAIL_IMAP_FLAG_SEEN);
  g_assert_cmpint (mail_imap_flag_from_string ("$junk"), ==, MAIL_IMAP_FLAG_JUNK);
  g_assert_cmpint (mail_imap_flag_from_string ("other"), ==, MAIL_IMAP_FLAG_NONE);
}

static void
test_check (void)
{
  static const struct {
    const char *input;
    gboolean    ok;
    int         code;
    const char *message;
  } cases[] = {
    { "a1 OK done\r\n", TRUE, 0, NULL },
    { "* PREAUTH welcome\r\n", TRUE, 0, NULL },
    { "a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n", FALSE,
      MAIL_IMAP_ERROR_AUTH_FAILED, "Authentication failed." },
    { "a1 NO [TRYCREATE] No such mailbox\r\n", FALSE, MAIL_IMAP_ERROR_TRYCREATE,
      "No such mailbox" },
    { "a1 NO [OVERQUOTA] Full\r\n", FALSE, MAIL_IMAP_ERROR_OVERQUOTA, "Full" },
    { "a1 NO Nope\r\n", FALSE, MAIL_IMAP_ERROR_NO, "Nope" },
    { "a1 BAD\r\n", FALSE, MAIL_IMAP_ERROR_BAD, "The server did not understand a command" },
    { "* BYE Autologout\r\n", FALSE, MAIL_IMAP_ERROR_BYE, "Autologout" },
    { "* 3 EXISTS\r\n", FALSE, MAIL_IMAP_ERROR_PROTOCOL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MailImapResponse) r = parse (cases[i].input);
      g_autoptr (GError) error = NULL;

      g_assert_cmpint (mail_imap_response_check (r, &error), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_error (error, MAIL_IMAP_ERROR, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_sections (void)
{
  static const char input[] =
    "* 9 FETCH (UID 3 BODY[1]<0> {4}\r\nabcd BODY[HEADER] {2}\r\n\r\n BINARY[2] ~{3}\r\n"
    "\0\1\2 BINARY.SIZE[2] 3 X-GM-LABELS (\\Inbox) BODY[2] NIL)\r\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (MailImapResponse) r = mail_imap_parse_response (input, sizeof input - 1, NULL,
                                                             &error);
  const MailImapFetchSection *s;
  const MailImapValue *labels;

  g_assert_no_error (error);
  g_assert_cmpuint (r->fetch.n_sections, ==, 5);

  s = mail_imap_fetch_get_section (&r->fetch, MAIL_IMAP_SECTION_BODY, "1");
  g_assert_nonnull (s);
  g_assert_true (s->has_origin);
  g_assert_cmpuint (s->origin, ==, 0);
  g_assert_cmpuint (s->len, ==, 4);
  g_assert_cmpmem (s->data, s->len, "abcd", 4);
  g_assert_cmpint (s->data[s->len], ==, '\0');

  s = mail_imap_fetch_get_section (&r->fetch, MAIL_IMAP_SECTION_BODY, "header");
  g_assert_cmpmem (s->data, s->len, "\r\n", 2);

  s = mail_imap_fetch_get_section (&r->fetch, MAIL_IMAP_SECTION_BINARY, NULL);
  g_assert_cmpmem (s->data, s->len, "\0\1\2", 3);

  s = mail_imap_fetch_get_section (&r->fetch, MAIL_IMAP_SECTION_BINARY_SIZE, "2");
  g_assert_cmpuint (s->binary_size, ==, 3);

  s = mail_imap_fetch_get_section (&r->fetch, MAIL_IMAP_SECTION_BODY, "2");
  g_assert_null (s->data);

  g_assert_null (mail_imap_fetch_get_section (&r->fetch, MAIL_IMAP_SECTION_RFC822, NULL));

  labels = mail_imap_fetch_get_extra (&r->fetch, "x-gm-labels");
  g_assert_nonnull (labels);
  g_assert_cmpint (labels->type, ==, MAIL_IMAP_VALUE_LIST);
  g_assert_cmpuint (labels->n_items, ==, 1);
  g_assert_cmpstr (labels->items[0].str, ==, "\\Inbox");
  g_assert_null (mail_imap_fetch_get_extra (&r->fetch, "X-GM-MSGID"));
}

/* Parses @input with @limits and returns the results, checking whether the parser ended
 * up failed. */
static GPtrArray *
parse_limited (const char                 *input,
               gsize                       len,
               const MailImapParserLimits *limits,
               gboolean                    expect_failed)
{
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (limits);
  GPtrArray *results = g_ptr_array_new_with_free_func (g_free);

  mail_imap_parser_feed (parser, input, len);
  drain (parser, results);
  g_assert_cmpint (mail_imap_parser_is_failed (parser), ==, expect_failed);

  return results;
}

static void
test_literal_sizes (void)
{
  static const struct {
    const char *input;
    int         code;
  } cases[] = {
    { "* 1 FETCH (BODY[] {4294967296}\r\n", MAIL_IMAP_ERROR_LIMIT_EXCEEDED },
    { "* 1 FETCH (BODY[] {4294967295}\r\n", MAIL_IMAP_ERROR_LIMIT_EXCEEDED },
    { "* 1 FETCH (BODY[] {67108865}\r\n", MAIL_IMAP_ERROR_LIMIT_EXCEEDED },
    { "* 1 FETCH (BODY[] {99999999999999999999}\r\n", MAIL_IMAP_ERROR_LIMIT_EXCEEDED },
    { "* 1 FETCH (BODY[] {18446744073709551616}\r\n", MAIL_IMAP_ERROR_LIMIT_EXCEEDED },
    { "* 1 FETCH (BODY[] {000000000000000000000000000067108865}\r\n",
      MAIL_IMAP_ERROR_LIMIT_EXCEEDED },
    { "* 1 FETCH (BODY[] {-1}\r\n", MAIL_IMAP_ERROR_PROTOCOL },
    { "* 1 FETCH (BINARY[1] ~{-5}\r\n", MAIL_IMAP_ERROR_PROTOCOL },
    { "* 1 FETCH (BODY[] {1-2}\r\n", MAIL_IMAP_ERROR_PROTOCOL },
    { "* 1 FETCH (BODY[] {-}\r\n", MAIL_IMAP_ERROR_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) again = NULL;
      g_autoptr (MailImapResponse) r = NULL;
      static const char before[] = "* 2 EXISTS\r\n";
      static const char after[] = "* 3 EXISTS\r\n";

      g_test_message ("%s", cases[i].input);
      mail_imap_parser_feed (parser, before, strlen (before));
      mail_imap_parser_feed (parser, cases[i].input, strlen (cases[i].input));
      mail_imap_parser_feed (parser, after, strlen (after));

      /* What was framed before the failure is still returned. */
      g_assert_cmpint (mail_imap_parser_next (parser, &r, &error), ==, MAIL_IMAP_PARSE_RESPONSE);
      g_assert_cmpint (r->kind, ==, MAIL_IMAP_RESPONSE_EXISTS);
      g_assert_false (mail_imap_parser_is_failed (parser));

      g_assert_cmpint (mail_imap_parser_next (parser, NULL, &error), ==, MAIL_IMAP_PARSE_ERROR);
      g_assert_error (error, MAIL_IMAP_ERROR, cases[i].code);
      g_assert_true (mail_imap_parser_is_failed (parser));
      g_test_message ("%s", error->message);

      /* Failed for good, until reset. */
      g_assert_cmpint (mail_imap_parser_next (parser, NULL, &again), ==, MAIL_IMAP_PARSE_ERROR);
      g_assert_error (again, MAIL_IMAP_ERROR, cases[i].code);

      mail_imap_parser_reset (parser);
      g_assert_false (mail_imap_parser_is_failed (parser));
      g_assert_false (mail_imap_parser_has_buffered_data (parser));
      g_clear_pointer (&r, mail_imap_response_unref);
      mail_imap_parser_feed (parser, after, strlen (after));
      g_assert_cmpint (mail_imap_parser_next (parser, &r, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
      g_assert_cmpuint (r->number, ==, 3);
    }
}

static void
test_limit_line_length (void)
{
  MailImapParserLimits limits;
  g_autoptr (GString) line = g_string_new ("* SEARCH");
  g_autoptr (GPtrArray) results = NULL;

  while (line->len < 1024 * 1024)
    g_string_append (line, " 1234567");
  g_string_append (line, "\r\n");

  /* A 1 MB line is within the default limit: a SEARCH on a big mailbox. */
  results = parse_limited (line->str, line->len, NULL, FALSE);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_true (g_str_has_prefix (results->pdata[0], "search 1234567 1234567"));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Not within a 64 KiB one. */
  mail_imap_parser_limits_init (&limits);
  limits.max_line_length = 64 * 1024;
  results = parse_limited (line->str, line->len, &limits, TRUE);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (results->pdata[0], ==, "error 1");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* A line of exactly the limit passes; one more byte does not, CR or not. */
  limits.max_line_length = 12;
  results = parse_limited ("* 123456 EXISTS\r\n", 17, &limits, TRUE);
  g_assert_cmpstr (results->pdata[0], ==, "error 1");
  g_clear_pointer (&results, g_ptr_array_unref);
  limits.max_line_length = 15;
  results = parse_limited ("* 123456 EXISTS\r\n", 17, &limits, FALSE);
  g_assert_cmpstr (results->pdata[0], ==, "exists 123456");
  g_clear_pointer (&results, g_ptr_array_unref);
  results = parse_limited ("* 123456 EXISTS\n", 16, &limits, FALSE);
  g_assert_cmpstr (results->pdata[0], ==, "exists 123456");
  g_clear_pointer (&results, g_ptr_array_unref);
  limits.max_line_length = 14;
  results = parse_limited ("* 123456 EXISTS\n", 16, &limits, TRUE);
  g_assert_cmpstr (results->pdata[0], ==, "error 1");
}

/* A server that never ends its line: the parser fails once the default limit is passed,
 * long before the stream ends. */
static void
test_endless_line (void)
{
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
  g_autofree char *chunk = g_malloc (64 * 1024);
  g_autoptr (GError) error = NULL;
  gsize fed = 0;

  memset (chunk, 'x', 64 * 1024);
  mail_imap_parser_feed (parser, "* OK ", 5);
  for (;;)
    {
      MailImapParseResult result;

      mail_imap_parser_feed (parser, chunk, 64 * 1024);
      fed += 64 * 1024;
      result = mail_imap_parser_next (parser, NULL, &error);
      if (result == MAIL_IMAP_PARSE_ERROR)
        break;
      g_assert_cmpint (result, ==, MAIL_IMAP_PARSE_NEED_MORE);
      g_assert_cmpuint (fed, <=, 24 * 1024 * 1024);
    }

  g_assert_true (mail_imap_parser_is_failed (parser));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED);
  /* g_format_size() puts a no-break space before the unit. */
  g_assert_cmpstr (error->message, ==, "The server sent a line longer than 24.0\u00a0MiB");
}

static void
append_filler (GString *s,
               gsize    n,
               char     c)
{
  g_autofree char *filler = g_strnfill (n, c);

  g_string_append_len (s, filler, (gssize) n);
}

static void
test_limit_response_size (void)
{
  MailImapParserLimits limits;
  g_autoptr (GString) input = g_string_new ("* 1 FETCH (BODY[1] {2000}\r\n");
  g_autoptr (GPtrArray) results = NULL;

  mail_imap_parser_limits_init (&limits);
  limits.max_response_size = 4096;

  append_filler (input, 2000, 'a');
  g_string_append (input, " BODY[2] {2000}\r\n");
  append_filler (input, 2000, 'b');
  g_string_append (input, ")\r\n");
  results = parse_limited (input->str, input->len, &limits, TRUE);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (results->pdata[0], ==, "error 1");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* A flood of empty literals is bounded too. */
  g_string_assign (input, "* ID (");
  for (guint i = 0; i < 1000; i++)
    g_string_append (input, "{0}\r\n {0}\r\n ");
  g_string_append (input, ")\r\n");
  results = parse_limited (input->str, input->len, &limits, TRUE);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (results->pdata[0], ==, "error 1");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Two responses each under the limit are fine. */
  g_string_assign (input, "* 1 FETCH (BODY[1] {2000}\r\n");
  append_filler (input, 2000, 'a');
  g_string_append (input, ")\r\n* 2 FETCH (BODY[1] {2000}\r\n");
  append_filler (input, 2000, 'a');
  g_string_append (input, ")\r\n");
  results = parse_limited (input->str, input->len, &limits, FALSE);
  g_assert_cmpuint (results->len, ==, 2);
}

static void
test_limit_depth (void)
{
  MailImapParserLimits limits;
  g_autoptr (GString) input = g_string_new ("* XFOO ");
  g_autoptr (GPtrArray) results = NULL;

  /* 10 000 nested lists in a generic value: refused, without recursing 10 000 deep, and
   * the next response is read normally. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (input, '(');
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (input, ')');
  g_string_append (input, "\r\n* 1 EXISTS\r\n");
  results = parse_limited (input->str, input->len, NULL, FALSE);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpstr (results->pdata[0], ==, "error 1");
  g_assert_cmpstr (results->pdata[1], ==, "exists 1");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* The same, never closed. */
  g_string_assign (input, "* 1 FETCH (BODYSTRUCTURE ");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (input, '(');
  g_string_append (input, "\r\n");
  results = parse_limited (input->str, input->len, NULL, FALSE);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (results->pdata[0], ==, "error 0");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* A smaller limit, exactly. */
  mail_imap_parser_limits_init (&limits);
  limits.max_depth = 3;
  results = parse_limited ("* XFOO (((a)))\r\n* XFOO ((((a))))\r\n", 34, &limits, FALSE);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpstr (results->pdata[0], ==, "other XFOO (((a)))");
  g_assert_cmpstr (results->pdata[1], ==, "error 1");
}

/* A BODYSTRUCTURE of 10 000 nested multiparts, as in Dovecot CVE-2020-12100: the message
 * stays readable down to the depth limit, and the rest is one truncated part. */
static void
test_deep_bodystructure (void)
{
  g_autoptr (GString) input = g_string_new ("* 1 FETCH (UID 5 BODYSTRUCTURE ");
  g_autoptr (GError) error = NULL;
  g_autoptr (MailImapResponse) r = NULL;
  const MailImapBody *b;
  guint levels = 0;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (input, '(');
  g_string_append (input, "\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)");
  for (guint i = 0; i < 9999; i++)
    g_string_append (input, " \"mixed\")");
  g_string_append (input, " FLAGS (\\Seen))\r\n");

  r = mail_imap_parse_response (input->str, input->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->fetch.uid, ==, 5);
  g_assert_cmpuint (r->fetch.flags.bits, ==, MAIL_IMAP_FLAG_SEEN);

  for (b = r->fetch.body; !b->truncated; b = &b->children[0])
    {
      g_assert_cmpstr (b->type, ==, "multipart");
      g_assert_cmpuint (b->n_children, ==, 1);
      levels++;
    }
  g_assert_cmpuint (levels, >, 50);
  g_assert_cmpuint (levels, <, 64);
  g_assert_null (b->type);
}

static void
test_limit_list_items (void)
{
  MailImapParserLimits limits;
  g_autoptr (GPtrArray) results = NULL;
  static const char input[] =
    "* FLAGS (a b c d e f g h i j)\r\n"
    "* FLAGS (a b c d e f g h i j k)\r\n"
    "* VANISHED 1,2,3,4,5,6,7,8,9,10,11\r\n"
    "* CAPABILITY a b c d e f g h i j k\r\n"
    "* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"a\" \"b\")(NIL NIL \"a\" \"b\")(NIL NIL \"a\" \"b\")"
    "(NIL NIL \"a\" \"b\")(NIL NIL \"a\" \"b\")(NIL NIL \"a\" \"b\")(NIL NIL \"a\" \"b\")"
    "(NIL NIL \"a\" \"b\")(NIL NIL \"a\" \"b\")(NIL NIL \"a\" \"b\")(NIL NIL \"a\" \"b\")) "
    "NIL NIL NIL NIL NIL NIL NIL))\r\n";

  mail_imap_parser_limits_init (&limits);
  limits.max_list_items = 10;
  results = parse_limited (input, sizeof input - 1, &limits, FALSE);
  g_assert_cmpuint (results->len, ==, 5);
  g_assert_true (g_str_has_prefix (results->pdata[0], "flags 0("));
  for (guint i = 1; i < 5; i++)
    g_assert_cmpstr (results->pdata[i], ==, "error 1");
}

/* Small input that would need much memory once parsed: each one-byte flag costs a
 * pointer and a string. The structs of one response may not take more memory than the
 * response size limit. */
static void
test_limit_memory (void)
{
  MailImapParserLimits limits;
  g_autoptr (GString) input = g_string_new ("* FLAGS (");
  g_autoptr (GPtrArray) results = NULL;

  mail_imap_parser_limits_init (&limits);
  limits.max_response_size = 8192;
  for (guint i = 0; i < 3000; i++)
    g_string_append (input, "a ");
  g_string_append (input, ")\r\n* 1 EXISTS\r\n");

  results = parse_limited (input->str, input->len, &limits, FALSE);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpstr (results->pdata[0], ==, "error 1");
  g_assert_cmpstr (results->pdata[1], ==, "exists 1");
}

/* The stream ends inside a literal: nothing is returned, and the parser says so. */
static void
test_eof_in_literal (void)
{
  static const char input[] = "* 1 FETCH (BODY[] {10}\r\nabc";
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);

  g_assert_false (mail_imap_parser_has_buffered_data (parser));
  mail_imap_parser_feed (parser, input, sizeof input - 1);
  g_assert_cmpint (mail_imap_parser_next (parser, NULL, NULL), ==, MAIL_IMAP_PARSE_NEED_MORE);
  g_assert_true (mail_imap_parser_has_buffered_data (parser));
  g_assert_false (mail_imap_parser_is_failed (parser));

  mail_imap_parser_reset (parser);
  g_assert_false (mail_imap_parser_has_buffered_data (parser));

  /* A literal longer than the response claims to be: the rest is read as the next
   * response, and fails as one. */
  mail_imap_parser_feed (parser, "* 1 FETCH (BODY[] {2}\r\nabc)\r\n", 30);
  g_assert_cmpint (mail_imap_parser_next (parser, NULL, NULL), ==, MAIL_IMAP_PARSE_ERROR);
  g_assert_false (mail_imap_parser_is_failed (parser));

  g_assert_null (mail_imap_parse_response ("* 1 EXISTS", 10, NULL, NULL));
  g_assert_null (mail_imap_parse_response ("* 1 EXISTS\r\n* 2 EXISTS\r\n", 24, NULL, NULL));
}

/* STARTTLS: a response that arrived with the tagged OK, before the handshake, is visible
 * as buffered data, so the client can refuse it. */
static void
test_buffered_data (void)
{
  static const char input[] = "a1 OK Begin TLS negotiation now\r\n* CAPABILITY INJECTED\r\n";
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
  g_autoptr (MailImapResponse) r = NULL;

  mail_imap_parser_feed (parser, input, sizeof input - 1);
  g_assert_cmpint (mail_imap_parser_next (parser, &r, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
  g_assert_true (mail_imap_response_is_tagged (r, "a1"));
  g_assert_true (mail_imap_parser_has_buffered_data (parser));
}

/* Bytes after the tagged OK that break the framing are dropped by the parser, but they
 * still count as buffered: they were received and never returned as a response. */
static void
test_buffered_data_fatal (void)
{
  static const char * const inputs[] = {
    "a1 OK Begin TLS negotiation now\r\n* OK {99999999999}\r\n",
    "a1 OK Begin TLS negotiation now\r\n* 1 FETCH (BODY[] {-5}\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
      g_autoptr (MailImapResponse) r = NULL;
      g_autoptr (GError) error = NULL;

      mail_imap_parser_feed (parser, inputs[i], strlen (inputs[i]));
      g_assert_cmpint (mail_imap_parser_next (parser, &r, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
      g_assert_true (mail_imap_response_is_tagged (r, "a1"));
      g_assert_true (mail_imap_parser_has_buffered_data (parser));
      g_assert_cmpint (mail_imap_parser_next (parser, NULL, &error), ==, MAIL_IMAP_PARSE_ERROR);
      g_assert_true (mail_imap_parser_is_failed (parser));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/imap/parser/responses", test_line_responses);
  g_test_add_func ("/mail/imap/parser/literals-and-bytes", test_raw_responses);
  g_test_add_func ("/mail/imap/parser/invalid-responses", test_bad_responses);
  g_test_add_func ("/mail/imap/parser/split-every-byte", test_split_every_byte);
  g_test_add_func ("/mail/imap/parser/stream-pieces", test_stream_pieces);
  g_test_add_func ("/mail/imap/parser/fetch-fields", test_fetch_fields);
  g_test_add_func ("/mail/imap/parser/bodystructure-dovecot", test_bodystructure_dovecot);
  g_test_add_func ("/mail/imap/parser/list-names", test_list_names);
  g_test_add_func ("/mail/imap/parser/status-codes", test_status_codes);
  g_test_add_func ("/mail/imap/parser/check", test_check);
  g_test_add_func ("/mail/imap/parser/sections", test_sections);
  g_test_add_func ("/mail/imap/parser/limit/literal-size", test_literal_sizes);
  g_test_add_func ("/mail/imap/parser/limit/line-length", test_limit_line_length);
  g_test_add_func ("/mail/imap/parser/limit/endless-line", test_endless_line);
  g_test_add_func ("/mail/imap/parser/limit/response-size", test_limit_response_size);
  g_test_add_func ("/mail/imap/parser/limit/depth", test_limit_depth);
  g_test_add_func ("/mail/imap/parser/limit/deep-bodystructure", test_deep_bodystructure);
  g_test_add_func ("/mail/imap/parser/limit/list-items", test_limit_list_items);
  g_test_add_func ("/mail/imap/parser/limit/memory", test_limit_memory);
  g_test_add_func ("/mail/imap/parser/eof-in-literal", test_eof_in_literal);
  g_test_add_func ("/mail/imap/parser/buffered-data", test_buffered_data);
  g_test_add_func ("/mail/imap/parser/buffered-data-fatal", test_buffered_data_fatal);

  return g_test_run ();
}
