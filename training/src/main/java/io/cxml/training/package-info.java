/** DJL text models, trainers, baselines, evaluation, quality gates and the model registry. */
package io.cxml.training;
