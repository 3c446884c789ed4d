/* prim.h - the primitives' shared task context (private to engine/). */
#ifndef AG_ENGINE_PRIM_H
#define AG_ENGINE_PRIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/scan.h"

/* One rule over one unit's rows [lo, hi). `mask` (NULL: every row) says
 * which rows the rule's filter lets through, indexed row - lo. Warnings go
 * to w[0..n). */
typedef struct eng_task {
    const eng_snapshot *s;
    const eng_rule *rule;
    uint16_t rule_ix;
    const ag_calendar *cal;
    uint32_t unit;
    size_t lo, hi;
    const uint8_t *mask;
    eng_warning *w;
    size_t n, cap;
    bool oom;
} eng_task;

/* Runs the task's primitive. On allocation failure sets t->oom. */
void eng_prim_run(eng_task *t);

#endif
