/**
 * What a native image of the service needs that closed-world compilation cannot see by itself: the bundled
 * plugins that {@link java.util.ServiceLoader} finds, the JSON records Jackson builds by reflection, the Jinjava
 * library classes that render chat templates, and substitutions for the two JVM-only features, the Vector API
 * kernels (the scalar twins run instead) and third-party plugin jars in their own class loaders (refused with a
 * message). Nothing here is loaded on the JVM.
 */
package dev.gantry.runtime.nativeimage;
