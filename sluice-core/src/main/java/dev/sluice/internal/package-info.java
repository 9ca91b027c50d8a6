/** Public for Sluice's own modules, not API: may change without notice. */
package dev.sluice.internal;
