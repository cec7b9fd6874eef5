/**
 * The attention-backend kit: {@link dev.gantry.tck.attention.AttentionBackendContractTest} to extend,
 * {@link dev.gantry.tck.attention.AttentionKit} to run the workload that compares every call with dense
 * attention, and the {@link dev.gantry.tck.attention.AttentionBehavior} flags.
 */
package dev.gantry.tck.attention;
