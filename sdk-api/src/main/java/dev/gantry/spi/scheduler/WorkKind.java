package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;

/**
 * What a sequence's tokens are for. FlexLLM co-schedules finetuning tokens with inference under one token
 * budget; every other scheduler sees only {@link #INFERENCE}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum WorkKind {
    /** A generation request. */
    INFERENCE,
    /** Finetuning work whose tokens fill the budget inference leaves (FlexLLM). */
    @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
    FINETUNE
}
