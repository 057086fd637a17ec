"""Every span attribute key that Lanterna writes or reads, in one place.

Lanterna's own keys start with ``lanterna.``. The collector also reads the
OpenTelemetry GenAI conventions (``gen_ai.*``, current and previous names) and
OpenInference (``openinference.span.kind``, ``llm.*``, ``input.value``); their
keys are listed here too, so that the one mapping table in the collector and
the SDK never spell a key twice.
"""

from __future__ import annotations

from typing import Final


class SpanType:
    """The kinds of span Lanterna knows; any other string is accepted too."""

    LLM: Final = "LLM"
    CHAT_MODEL: Final = "CHAT_MODEL"
    CHAIN: Final = "CHAIN"
    AGENT: Final = "AGENT"
    TOOL: Final = "TOOL"
    RETRIEVER: Final = "RETRIEVER"
    EMBEDDING: Final = "EMBEDDING"
    RERANKER: Final = "RERANKER"
    PARSER: Final = "PARSER"
    GUARDRAIL: Final = "GUARDRAIL"
    EVALUATOR: Final = "EVALUATOR"
    UNKNOWN: Final = "UNKNOWN"


# --- Lanterna's own keys -------------------------------------------------------------

SPAN_TYPE: Final = "lanterna.span.type"
INPUTS: Final = "lanterna.inputs"
OUTPUTS: Final = "lanterna.outputs"
INPUTS_TRUNCATED: Final = "lanterna.inputs.truncated"
OUTPUTS_TRUNCATED: Final = "lanterna.outputs.truncated"
INPUTS_ORIGINAL_SIZE_BYTES: Final = "lanterna.inputs.original_size_bytes"
OUTPUTS_ORIGINAL_SIZE_BYTES: Final = "lanterna.outputs.original_size_bytes"
SESSION_ID: Final = "lanterna.session.id"
USER_ID: Final = "lanterna.user.id"
TAGS: Final = "lanterna.tags"
METADATA_PREFIX: Final = "lanterna.metadata."
STREAM_STOPPED_EARLY: Final = "lanterna.stream.stopped_early"
STREAM_ITEM_COUNT: Final = "lanterna.stream.item_count"
# Set when a traced call ended by sys.exit(0), which is not an error.
EXIT_CODE: Final = "lanterna.exit_code"
MODEL: Final = "lanterna.model"
INPUT_TOKENS: Final = "lanterna.usage.input_tokens"
OUTPUT_TOKENS: Final = "lanterna.usage.output_tokens"
COST_USD: Final = "lanterna.usage.cost_usd"

# Resource attribute naming the project a span belongs to.
PROJECT: Final = "lanterna.project"
DEFAULT_PROJECT: Final = "default"

# Written by the collector when it had to repair a span.
END_TIME_CORRECTED: Final = "lanterna.end_time.corrected"
END_TIME_ORIGINAL_UNIX_NANO: Final = "lanterna.end_time.original_unix_nano"
SPAN_UNFINISHED: Final = "lanterna.span.unfinished"
# Prefix for the marks of a span name the collector had to cut.
SPAN_NAME: Final = "lanterna.span.name"
VALUE_TRUNCATED_SUFFIX: Final = ".truncated"
VALUE_ORIGINAL_SIZE_SUFFIX: Final = ".original_size_bytes"

# --- OpenTelemetry --------------------------------------------------------------------

SERVICE_NAME: Final = "service.name"
EXCEPTION_EVENT: Final = "exception"
EXCEPTION_TYPE: Final = "exception.type"
EXCEPTION_MESSAGE: Final = "exception.message"
EXCEPTION_STACKTRACE: Final = "exception.stacktrace"

# --- OpenTelemetry GenAI conventions (current names first, then previous ones) -----------

GEN_AI_OPERATION_NAME: Final = "gen_ai.operation.name"
GEN_AI_PROVIDER_NAME: Final = "gen_ai.provider.name"
GEN_AI_SYSTEM: Final = "gen_ai.system"
GEN_AI_REQUEST_MODEL: Final = "gen_ai.request.model"
GEN_AI_RESPONSE_MODEL: Final = "gen_ai.response.model"
GEN_AI_USAGE_INPUT_TOKENS: Final = "gen_ai.usage.input_tokens"
GEN_AI_USAGE_OUTPUT_TOKENS: Final = "gen_ai.usage.output_tokens"
GEN_AI_USAGE_PROMPT_TOKENS: Final = "gen_ai.usage.prompt_tokens"
GEN_AI_USAGE_COMPLETION_TOKENS: Final = "gen_ai.usage.completion_tokens"
GEN_AI_INPUT_MESSAGES: Final = "gen_ai.input.messages"
GEN_AI_OUTPUT_MESSAGES: Final = "gen_ai.output.messages"
GEN_AI_PROMPT: Final = "gen_ai.prompt"
GEN_AI_COMPLETION: Final = "gen_ai.completion"
GEN_AI_CONVERSATION_ID: Final = "gen_ai.conversation.id"

# --- OpenInference ------------------------------------------------------------------

OI_SPAN_KIND: Final = "openinference.span.kind"
OI_INPUT_VALUE: Final = "input.value"
OI_OUTPUT_VALUE: Final = "output.value"
OI_LLM_MODEL_NAME: Final = "llm.model_name"
OI_EMBEDDING_MODEL_NAME: Final = "embedding.model_name"
OI_LLM_TOKEN_COUNT_PROMPT: Final = "llm.token_count.prompt"
OI_LLM_TOKEN_COUNT_COMPLETION: Final = "llm.token_count.completion"
OI_LLM_TOKEN_COUNT_TOTAL: Final = "llm.token_count.total"
OI_LLM_INPUT_MESSAGES: Final = "llm.input_messages"
OI_LLM_OUTPUT_MESSAGES: Final = "llm.output_messages"
OI_SESSION_ID: Final = "session.id"
OI_USER_ID: Final = "user.id"
OI_TAG_TAGS: Final = "tag.tags"
OI_METADATA: Final = "metadata"
