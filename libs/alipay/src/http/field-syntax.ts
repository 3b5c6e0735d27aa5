/** RFC 9110 header syntax, shared by what we send and what we read. */

/** A header name is a token; anything else could split a message. */
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Control characters other than tab (CR and LF above all) have no place in a field value; obs-text (0x80-0xff) does. */
export const NOT_FIELD_TEXT = /[^\t\x20-\x7e\x80-\xff]/;
