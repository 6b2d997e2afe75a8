package ds01.gpu;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The physical GPUs as {@code nvidia-smi -q -x} describes them. */
public record GpuReport(String driverVersion, List<PhysicalGpu> gpus) {

    /** In MIG mode utilisation reads N/A, hence optional; memory is the whole GPU's. */
    public record PhysicalGpu(int index, String uuid, String name, boolean migEnabled, int memoryTotalMiB,
            int memoryUsedMiB, OptionalInt utilisationPercent, int migDevicesInXml, List<GpuProcess> processes) {
    }

    public record GpuProcess(int pid, String name, int usedMemoryMiB) {
    }

    /** @throws IllegalArgumentException when the output is not nvidia-smi's XML */
    public static GpuReport parse(String xml) {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // nvidia-smi's XML names a DTD it does not ship; never fetch or expand anything external
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setExpandEntityReferences(false);
            doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("nvidia-smi -q -x did not print readable XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"nvidia_smi_log".equals(root.getTagName())) {
            throw new IllegalArgumentException("nvidia-smi -q -x printed <" + root.getTagName() + ">, not <nvidia_smi_log>");
        }
        List<PhysicalGpu> gpus = new ArrayList<>();
        for (Element gpu : children(root, "gpu")) {
            Optional<Element> mig = child(gpu, "mig_mode").flatMap(m -> child(m, "current_mig"));
            boolean migEnabled = mig.map(e -> e.getTextContent().strip().equalsIgnoreCase("Enabled")).orElse(false);
            Optional<Element> memory = child(gpu, "fb_memory_usage");
            int migDevices = child(gpu, "mig_devices").map(m -> children(m, "mig_device").size()).orElse(0);
            List<GpuProcess> processes = new ArrayList<>();
            child(gpu, "processes").ifPresent(ps -> children(ps, "process_info").forEach(p -> processes.add(
                    new GpuProcess(mib(text(p, "pid")), text(p, "process_name"), mib(text(p, "used_memory"))))));
            gpus.add(new PhysicalGpu(gpus.size(), text(gpu, "uuid"), text(gpu, "product_name"), migEnabled,
                    memory.map(m -> mib(text(m, "total"))).orElse(0), memory.map(m -> mib(text(m, "used"))).orElse(0),
                    percent(child(gpu, "utilization").map(u -> text(u, "gpu_util")).orElse("N/A")), migDevices,
                    List.copyOf(processes)));
        }
        return new GpuReport(child(root, "driver_version").map(e -> e.getTextContent().strip()).orElse("unknown"),
                List.copyOf(gpus));
    }

    private static OptionalInt percent(String text) {
        String value = text.replace("%", "").strip();
        return value.matches("\\d+") ? OptionalInt.of(Integer.parseInt(value)) : OptionalInt.empty();
    }

    private static int mib(String text) {
        String value = text.replace("MiB", "").strip();
        return value.matches("\\d+") ? Integer.parseInt(value) : 0;
    }

    private static String text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().strip()).orElse("");
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }
}
