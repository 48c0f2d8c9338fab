/**
 * The model runtime that training and scoring share. {@link io.cxml.runtime.CxmlSparkPlugin} applies the executor
 * settings when an executor starts and closes the JVM's models when it stops. Below it: {@code text} (encoders),
 * {@code model} (text classifiers), {@code routing} (per-tenant routing models and their inputs), {@code executor}
 * (the per-JVM model cache, per-task predictors, devices) and {@code stages} (the Spark ML stages that run all of
 * these on the executors through one partition loop).
 */
package io.cxml.runtime;
