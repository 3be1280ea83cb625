#include <jvmti.h>
#include <string.h>
#include <stdio.h>
/* A JVMTI agent that only adds the capabilities named in its options (comma separated), or all
 * those JDWP takes when it loads ("jdwp"), and does nothing else: what each costs a program is
 * then the capability alone. Used by run.sh. */
JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    jvmtiEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JVMTI_VERSION_1_2) != JNI_OK) return 1;
    jvmtiCapabilities c;
    memset(&c, 0, sizeof(c));
    const char *o = options ? options : "";
    int all = strstr(o, "jdwp") != NULL;
#define CAP(name) if (all || strstr(o, #name)) c.name = 1;
    CAP(can_generate_exception_events)
    CAP(can_access_local_variables)
    CAP(can_pop_frame)
    CAP(can_force_early_return)
    CAP(can_generate_single_step_events)
    CAP(can_generate_breakpoint_events)
    CAP(can_generate_frame_pop_events)
    CAP(can_generate_method_entry_events)
    CAP(can_generate_method_exit_events)
    CAP(can_redefine_classes)
    CAP(can_tag_objects)
    CAP(can_get_source_file_name)
    CAP(can_get_line_numbers)
    CAP(can_get_source_debug_extension)
    CAP(can_maintain_original_method_order)
    CAP(can_generate_field_access_events)
    CAP(can_generate_field_modification_events)
    CAP(can_get_owned_monitor_info)
    CAP(can_get_current_contended_monitor)
    CAP(can_get_monitor_info)
    CAP(can_signal_thread)
    CAP(can_suspend)
    CAP(can_get_bytecodes)
    CAP(can_get_synthetic_attribute)
    CAP(can_get_owned_monitor_stack_depth_info)
    CAP(can_get_constant_pool)
    CAP(can_generate_garbage_collection_events)
    CAP(can_generate_monitor_events)
    jvmtiError e = (*env)->AddCapabilities(env, &c);
    if (e != JVMTI_ERROR_NONE) fprintf(stderr, "AddCapabilities: %d\n", e);
    return 0;
}
