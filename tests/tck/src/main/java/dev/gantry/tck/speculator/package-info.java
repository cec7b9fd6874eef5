/**
 * The speculator kit: {@link dev.gantry.tck.speculator.SpeculatorContractTest} to extend,
 * {@link dev.gantry.tck.speculator.SpeculatorKit} for greedy runs and the sampling comparison, and the
 * {@link dev.gantry.tck.speculator.SpeculatorBehavior} flags.
 */
package dev.gantry.tck.speculator;
