package dev.gantry.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The compatibility promise of an SPI element.
 *
 * <p>A type's status covers its members; a member may only be less stable than its type. The build's
 * compatibility check reads this annotation (it is retained at run time): {@link Status#EXPERIMENTAL}
 * and {@link Status#INTERNAL} elements are excluded from it, everything else may change only in a
 * major version or through a documented deprecation.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD, ElementType.PACKAGE})
@Api(status = Api.Status.STABLE, since = "0.1")
public @interface Api {

    /** {@return the promise made about the annotated element} */
    Status status();

    /** {@return the SPI version that introduced the element in its current status, such as {@code "0.1"}} */
    String since();

    /**
     * Levels of promise, from none to full.
     *
     * @since 0.1
     */
    enum Status {
        /** Public for technical reasons only; may change or vanish at any time. Plugins must not use it. */
        INTERNAL,
        /** Will be removed in a later version; its javadoc names the replacement. */
        DEPRECATED,
        /** New, needed by a single paper so far; may change in any minor version. */
        EXPERIMENTAL,
        /** Kept compatible within a major version, but not expected to grow. */
        MAINTAINED,
        /** Kept compatible within a major version; changes only by addition. */
        STABLE
    }
}
