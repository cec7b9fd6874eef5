/**
 * What the kits share: the engine session, the instrumented plugin, the reachability walk. Public for the kit's
 * own packages; not meant for plugin authors' tests, and may change in any release.
 */
package dev.gantry.tck.internal;
