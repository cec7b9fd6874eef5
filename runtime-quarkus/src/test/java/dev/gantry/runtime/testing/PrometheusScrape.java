package dev.gantry.runtime.testing;

import static io.restassured.RestAssured.given;

/** Reads values out of the service's {@code /q/metrics} text. */
public final class PrometheusScrape {

    private final String text;

    private PrometheusScrape(String text) {
        this.text = text;
    }

    /** Scrapes {@code /q/metrics} now. */
    public static PrometheusScrape now() {
        return new PrometheusScrape(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The whole exposition. */
    public String text() {
        return text;
    }

    /**
     * The sum of the samples named {@code name} whose labels contain {@code labelFragment} (for example
     * {@code finished_reason="length"}); 0 when there are none.
     */
    public double value(String name, String labelFragment) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String labels = line.startsWith(name + "{") ? line.substring(name.length(), line.indexOf('}') + 1) : "";
                if (labels.contains(labelFragment)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    /** The sum of the samples named {@code name}. */
    public double value(String name) {
        return value(name, "");
    }

    /** Whether a sample named {@code name} is exposed. */
    public boolean has(String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return true;
            }
        }
        return false;
    }
}
