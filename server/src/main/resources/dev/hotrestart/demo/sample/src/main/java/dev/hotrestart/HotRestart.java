package dev.hotrestart;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Wraps a method for hot restart: when an exception escapes it while the hotrestart debugger
 * is attached, the thread stops in this method with the whole stack live. Fix the method,
 * then continue (or send {@code restartFrameWithReload}) to run the fixed method again.
 *
 * <p>On a class it wraps every method the class declares (constructors and static
 * initialisers excluded); on a package ({@code package-info.java}) every class in it.
 * The debugger matches annotations by simple name, so a project may declare its own
 * {@code HotRestart} annotation instead of depending on this artifact.
 *
 * <p>Class retention: the annotation costs nothing at run time and needs no debugger.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.PACKAGE})
public @interface HotRestart {
}
