/**
 * The Gantry plugin TCK: {@link dev.gantry.tck.GantryTck} finds the implementation under test as Gantry does, and
 * one package per extension point holds its kit, its recorded runs, its behaviour flags and its contract test
 * ({@code scheduler}, {@code speculator}, {@code attention}, {@code kv}, {@code planner}). Runs use the real
 * engine on {@link dev.gantry.tck.KitModel}.
 */
package dev.gantry.tck;
