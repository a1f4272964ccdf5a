/* SPDX-License-Identifier: MIT */
/*
 * yamlscan.c -- the floor for loading: parse YAML files with libyaml's
 * event parser (yaml_parser_parse) and only count the events.  Nothing is
 * stored or validated; `make bench` compares `match load` with this.
 *
 *   yamlscan FILE...
 */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	unsigned long long events = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		yaml_parser_t p;
		yaml_event_t ev;
		int done = 0;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		if (!yaml_parser_initialize(&p)) {
			fclose(f);
			return 1;
		}
		yaml_parser_set_input_file(&p, f);
		while (!done) {
			if (!yaml_parser_parse(&p, &ev)) {
				fprintf(stderr, "%s: %s\n", argv[i],
				        p.problem ? p.problem : "parse error");
				yaml_parser_delete(&p);
				fclose(f);
				return 1;
			}
			done = ev.type == YAML_STREAM_END_EVENT;
			events++;
			yaml_event_delete(&ev);
		}
		yaml_parser_delete(&p);
		fclose(f);
	}
	printf("%llu events\n", events);
	return 0;
}
