/**
 * The model registry: registered models, their versions, tags, legacy stages and aliases, with version numbers and
 * alias moves serialised per model.
 */
package dev.flywheel.registry.model;
