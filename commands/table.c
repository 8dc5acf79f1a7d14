/*
 * table.c: the one list of every command, in family order, and the one
 * list of families. Adding a command: its entry in a commands/cmd_*.c
 * file, a line here, its help fields, a section in man/quarry.1 and a
 * transcript test (tests/unit/test_registry.c checks all of them; see
 * CONTRIBUTING.md).
 */
#include "cmd.h"

#include "base/banned.h"

extern const struct cmd_entry cmd_load_entry, cmd_export_entry, cmd_save_entry,
    cmd_open_entry, cmd_tables_entry, cmd_describe_entry, cmd_head_entry, cmd_view_entry,
    cmd_drop_entry,
    cmd_rename_entry, cmd_sql_entry, cmd_undo_entry, cmd_redo_entry, cmd_history_entry,
    cmd_set_entry,
    cmd_show_entry, cmd_timer_entry, cmd_quit_entry, cmd_plot_entry, cmd_help_entry,
    cmd_attach_entry, cmd_detach_entry;
extern const struct cmd_entry cmd_clean_entry, cmd_outliers_entry, cmd_normalize_entry,
    cmd_denormalize_entry, cmd_encode_entry, cmd_derive_entry, cmd_split_entry, cmd_sample_entry,
    cmd_explain_entry;
extern const struct cmd_entry cmd_models_entry;
extern const struct cmd_entry cmd_rfm_entry, cmd_series_entry, cmd_sessions_entry,
    cmd_crosstab_entry;
extern const struct cmd_entry cmd_rules_entry;
extern const struct cmd_entry cmd_sequences_entry, cmd_similarity_entry;
extern const struct cmd_entry cmd_cluster_entry, cmd_elbow_entry, cmd_profile_entry,
    cmd_score_entry;
extern const struct cmd_entry cmd_whatif_entry, cmd_stability_entry;
extern const struct cmd_entry cmd_train_entry, cmd_predict_entry, cmd_evaluate_entry,
    cmd_cv_entry, cmd_compare_entry, cmd_trace_entry;
extern const struct cmd_entry cmd_recommend_entry, cmd_similar_entry, cmd_evalrec_entry;
extern const struct cmd_entry cmd_forecast_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_demo_entry;

const struct cmd_entry *const cmd_table[] = {
    /* data */
    &cmd_load_entry,
    &cmd_save_entry,
    &cmd_open_entry,
    &cmd_export_entry,
    &cmd_tables_entry,
    &cmd_describe_entry,
    &cmd_head_entry,
    &cmd_view_entry,
    &cmd_drop_entry,
    &cmd_models_entry,
    &cmd_rename_entry,
    &cmd_sql_entry,
    &cmd_attach_entry,
    &cmd_detach_entry,
    /* preprocessing */
    &cmd_clean_entry,
    &cmd_outliers_entry,
    &cmd_normalize_entry,
    &cmd_denormalize_entry,
    &cmd_encode_entry,
    &cmd_derive_entry,
    &cmd_split_entry,
    &cmd_sample_entry,
    &cmd_rfm_entry,
    &cmd_series_entry,
    &cmd_sessions_entry,
    &cmd_sequences_entry,
    &cmd_similarity_entry,
    &cmd_crosstab_entry,
    /* clustering */
    &cmd_cluster_entry,
    &cmd_elbow_entry,
    &cmd_profile_entry,
    &cmd_score_entry,
    &cmd_whatif_entry,
    &cmd_stability_entry,
    /* classify */
    &cmd_train_entry,
    &cmd_predict_entry,
    &cmd_evaluate_entry,
    &cmd_cv_entry,
    &cmd_compare_entry,
    &cmd_trace_entry,
    /* forecasting */
    &cmd_forecast_entry,
    /* association */
    &cmd_rules_entry,
    /* recommendation */
    &cmd_recommend_entry,
    &cmd_similar_entry,
    &cmd_evalrec_entry,
    /* plots */
    &cmd_plot_entry,
    /* session */
    &cmd_undo_entry,
    &cmd_redo_entry,
    &cmd_history_entry,
    &cmd_report_entry,
    &cmd_set_entry,
    &cmd_show_entry,
    &cmd_timer_entry,
    &cmd_quit_entry,
    /* help */
    &cmd_help_entry,
    &cmd_explain_entry,
    &cmd_demo_entry,
};

const int cmd_table_len = (int)(sizeof cmd_table / sizeof cmd_table[0]);

/* The families in the order help lists them; a new family is one more name here. */
const char *const cmd_families[] = {"data",        "preprocessing",  "clustering", "classify",
                                    "forecasting", "association",    "recommendation", "plots",
                                    "session",     "help",           NULL};
