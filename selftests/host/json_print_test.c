// SPDX-License-Identifier: GPL-2.0
/*
 * Prints one value through agent/lib/json_print.c; lgctl_cli.sh checks it
 * byte for byte and through jq.
 *
 *	json_print_test { text | json | pretty }
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "json_print.h"

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "json";

	new_json_obj(!strcmp(mode, "json") || !strcmp(mode, "pretty"),
		     !strcmp(mode, "pretty"));
	open_json_object(NULL);
	print_string(PRINT_ANY, "quote", "quote %s", "a\"b");
	print_string(PRINT_ANY, "backslash", " backslash %s", "a\\b");
	print_string(PRINT_JSON, "control", NULL, "\b\f\n\r\t\x01\x1f\x7f");
	/* é, €, U+1D11E, then invalid: lone continuation, overlong '/',
	 * a surrogate, a truncated sequence at the end */
	print_string(PRINT_JSON, "utf8", NULL,
		     "\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e"
		     "|\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82");
	print_string(PRINT_ANY, "empty", " empty '%s'", "");
	print_string(PRINT_JSON, "null", NULL, NULL);
	print_string(PRINT_JSON, "key\"\n", NULL, "v");
	print_u64(PRINT_ANY, "u64", " u64 %" PRIu64, UINT64_MAX);
	print_int(PRINT_ANY, "int", " int %d", -1);
	print_bool(PRINT_ANY, "bool", " bool %s", true);
	print_nl();
	open_json_array("array");
	print_uint(PRINT_ANY, NULL, "%u", 1);
	print_uint(PRINT_ANY, NULL, " %u", 2);
	open_json_object(NULL);
	close_json_object();
	close_json_array();
	open_json_object("nested");
	open_json_array("empty");
	close_json_array();
	close_json_object();
	print_string(PRINT_FP, NULL, "%s", "text only");
	print_nl();
	close_json_object();
	delete_json_obj();
	return 0;
}
