package dev.hotrestart;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Excludes a method or class from hot restart wrapping that a {@link HotRestart} on an
 * enclosing class or package, or a {@code wrap} pattern, would otherwise apply.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NoHotRestart {
}
